using System.Globalization;
using System.Text.Json.Nodes;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>
/// What the fake API server holds: Services and Endpoints as JSON, each change stamped with the next
/// resourceVersion (one sequence for both, as etcd's revision is), the history watches replay from, and
/// the open watches. Objects are stored the way an API server stores them: namespace, uid, resourceVersion,
/// creationTimestamp and a Service's cluster IP filled in.
/// </summary>
internal sealed class FakeApiObjects
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedDictionary<ObjectKey, JsonObject>> _objects = new()
    {
        ["services"] = [],
        ["endpoints"] = [],
        ["endpointslices"] = [],
    };
    private readonly List<(long Version, string Resource, string? Namespace, string Line)> _history = [];
    private readonly List<FakeWatch> _watches = [];
    private readonly Dictionary<string, JsonObject[]> _snapshots = [];
    private long _version = 1000;
    private long _compacted;
    private int _nextIp = 10;
    private bool _expireNextContinue;
    private TaskCompletionSource? _hold;
    private bool _down;

    public long Version
    {
        get
        {
            lock (_gate) return _version;
        }
    }

    public long Compacted
    {
        get
        {
            lock (_gate) return _compacted;
        }
    }

    /// <summary>Creates or replaces a Service, Endpoints or EndpointSlice given as JSON (kubectl's output, say); returns its
    /// resourceVersion.</summary>
    public long Apply(string json)
    {
        var item = JsonNode.Parse(json)!.AsObject();
        var resource = (string?)item["kind"] switch
        {
            "Service" => "services",
            "Endpoints" => "endpoints",
            "EndpointSlice" => "endpointslices",
            var other => throw new ArgumentException($"the fake serves Services, Endpoints and EndpointSlices, not {other}"),
        };
        lock (_gate)
        {
            var metadata = item["metadata"]!.AsObject();
            if (metadata["namespace"] is null) metadata["namespace"] = "default";
            var key = new ObjectKey((string)metadata["namespace"]!, (string)metadata["name"]!);
            var store = _objects[resource];
            var existed = store.TryGetValue(key, out var old);
            var version = ++_version;
            metadata["resourceVersion"] = Text(version);
            metadata["uid"] = old?["metadata"]?["uid"]?.DeepClone() ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] =
                old?["metadata"]?["creationTimestamp"]?.DeepClone()
                ?? DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            if (resource == "services") Default(item.AsObject(), old);
            store[key] = item;
            Publish(version, resource, existed ? "MODIFIED" : "ADDED", item);
            return version;
        }
    }

    public long Delete(string resource, string ns, string name)
    {
        lock (_gate)
        {
            if (!_objects[resource].Remove(new ObjectKey(ns, name), out var item))
            {
                throw new InvalidOperationException($"{resource} {ns}/{name} is not there");
            }
            var version = ++_version;
            item["metadata"]!["resourceVersion"] = Text(version);
            Publish(version, resource, "DELETED", item);
            return version;
        }
    }

    /// <summary>Forgets the history up to now: a watch or continue token from before gets 410.</summary>
    public void Compact()
    {
        lock (_gate)
        {
            _compacted = _version;
            _history.Clear();
            _snapshots.Clear();
        }
    }

    /// <summary>Watch requests wait, before their version is looked at, until <see cref="ReleaseWatches"/>.</summary>
    public void HoldWatches()
    {
        lock (_gate) _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseWatches()
    {
        TaskCompletionSource? hold;
        lock (_gate)
        {
            hold = _hold;
            _hold = null;
        }
        hold?.TrySetResult();
    }

    /// <summary>What a watch request waits for first (completed unless watches are held).</summary>
    public Task Held()
    {
        lock (_gate) return _hold?.Task ?? Task.CompletedTask;
    }

    /// <summary>The next continue token presented gets 410, as one that outlived the server's history does.</summary>
    public void ExpireNextContinueToken()
    {
        lock (_gate) _expireNextContinue = true;
    }

    /// <summary>Each object as stored, with its kind, in namespace/name order.</summary>
    public string[] Json(string resource)
    {
        lock (_gate) return [.. _objects[resource].Values.Select(o => WithKind(resource, o).ToJsonString())];
    }

    /// <summary>One page of a list; the pages after the first are read from the first page's snapshot.</summary>
    /// <param name="ns">The namespace to list, or null for all.</param>
    public (int Status, string Body) List(string resource, int limit, string? continueToken, string? ns = null)
    {
        lock (_gate)
        {
            JsonObject[] items;
            long version;
            var offset = 0;
            if (string.IsNullOrEmpty(continueToken))
            {
                version = _version;
                items = [.. _objects[resource].Values.Where(o => ns is null || NamespaceOf(o) == ns).Select(o => (JsonObject)o.DeepClone())];
            }
            else
            {
                var parts = continueToken.Split(':');
                if (_expireNextContinue || !_snapshots.TryGetValue($"{ns}/{parts[0]}", out items!))
                {
                    _expireNextContinue = false;
                    return (410,
                        Status(410, "Expired",
                        "The provided continue parameter is too old to display a consistent list result. You can start a new list " +
                        "without the continue parameter."));
                }
                version = long.Parse(parts[0], CultureInfo.InvariantCulture);
                offset = int.Parse(parts[1], CultureInfo.InvariantCulture);
            }
            var count = limit > 0 ? Math.Min(limit, items.Length - offset) : items.Length - offset;
            var metadata = new JsonObject { ["resourceVersion"] = Text(version) };
            if (offset + count < items.Length)
            {
                _snapshots[$"{ns}/{Text(version)}"] = items;
                metadata["continue"] = $"{version}:{offset + count}";
            }
            var list = new JsonObject
            {
                ["kind"] = KindOf(resource) + "List",
                ["apiVersion"] = ApiVersionOf(resource),
                ["metadata"] = metadata,
                ["items"] = new JsonArray([.. items.Skip(offset).Take(count).Select(i => i.DeepClone())]),
            };
            return (200, list.ToJsonString());
        }
    }

    /// <summary>The server is going away: open watches are cut, and no new one opens until <see cref="ComeUp"/>.</summary>
    public void GoDown()
    {
        lock (_gate) _down = true;
        DropWatches();
    }

    public void ComeUp()
    {
        lock (_gate) _down = false;
    }

    /// <summary>
    /// Opens a watch from <paramref name="from"/>: null and the ERROR line when that version is compacted,
    /// null and no line when the server is going away.
    /// </summary>
    public FakeWatch? Watch(string resource, long from, Action abort, out string? error, string? ns = null)
    {
        lock (_gate)
        {
            if (_down)
            {
                error = null;
                return null;
            }
            if (from < _compacted)
            {
                error = Status(410, "Expired", $"too old resource version: {from} ({_compacted})");
                return null;
            }
            error = null;
            var watch = new FakeWatch(resource, abort) { Namespace = ns };
            foreach (var (_, _, _, line) in _history.Where(h => h.Resource == resource && watch.Sees(h.Namespace) && h.Version > from))
            {
                watch.Lines.Writer.TryWrite(line);
            }
            _watches.Add(watch);
            return watch;
        }
    }

    public void Closed(FakeWatch watch)
    {
        lock (_gate) _watches.Remove(watch);
    }

    public int OpenWatches(string resource)
    {
        lock (_gate) return _watches.Count(w => w.Resource == resource);
    }

    /// <summary>Sends each open watch a BOOKMARK at the current version.</summary>
    public void Bookmark()
    {
        lock (_gate)
        {
            foreach (var watch in _watches)
            {
                var bookmark =
                    new JsonObject { ["kind"] = KindOf(watch.Resource), ["apiVersion"] = ApiVersionOf(watch.Resource),
                    ["metadata"] = new JsonObject { ["resourceVersion"] = Text(_version) } };
                watch.Lines.Writer.TryWrite(Event("BOOKMARK", bookmark));
            }
        }
    }

    /// <summary>Ends every open watch normally (as the server does at a watch's timeout).</summary>
    public void EndWatches() => Take().ForEach(w => w.End());

    /// <summary>Cuts every open watch's connection.</summary>
    public void DropWatches() => Take().ForEach(w => w.Drop());

    /// <summary>Tells every open watch its version is too old (an ERROR event with a 410 Status), then ends it.</summary>
    public void ExpireWatches()
    {
        foreach (var watch in Take())
        {
            watch.Lines.Writer.TryWrite(Event("ERROR", JsonNode.Parse(Status(410, "Expired", "too old resource version: 1 (2)"))!));
            watch.End();
        }
    }

    public static string Status(int code, string reason, string message) => new JsonObject
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = message,
        ["reason"] = reason,
        ["code"] = code,
    }.ToJsonString();

    public static string Event(string type, JsonNode item) =>
        new JsonObject { ["type"] = type, ["object"] = item.DeepClone() }.ToJsonString();

    private List<FakeWatch> Take()
    {
        lock (_gate)
        {
            List<FakeWatch> open = [.. _watches];
            _watches.Clear();
            return open;
        }
    }

    private void Publish(long version, string resource, string type, JsonObject item)
    {
        var line = Event(type, WithKind(resource, item));
        var ns = NamespaceOf(item);
        _history.Add((version, resource, ns, line));
        foreach (var watch in _watches.Where(w => w.Resource == resource && w.Sees(ns))) watch.Lines.Writer.TryWrite(line);
    }

    // What an API server fills in for a Service: defaults, and a cluster IP unless it is headless or an ExternalName.
    private void Default(JsonObject service, JsonObject? old)
    {
        var spec = service["spec"] as JsonObject ?? [];
        service["spec"] = spec;
        spec["type"] ??= "ClusterIP";
        spec["sessionAffinity"] ??= "None";
        if ((string?)spec["type"] == "ExternalName") return;
        spec["internalTrafficPolicy"] ??= "Cluster";
        if (spec["clusterIP"] is null)
        {
            var n = _nextIp++;
            var ip = (string?)old?["spec"]?["clusterIP"] ?? $"10.96.{n / 250}.{(n % 250) + 1}";
            spec["clusterIP"] = ip;
            spec["clusterIPs"] = new JsonArray(ip);
        }
        if ((string?)spec["type"] is "NodePort" or "LoadBalancer")
        {
            foreach (var port in spec["ports"]?.AsArray().OfType<JsonObject>() ?? []) port["nodePort"] ??= 30000 + (_nextIp++ % 2767);
        }
        spec["ipFamilies"] ??= new JsonArray("IPv4");
        spec["ipFamilyPolicy"] ??= "SingleStack";
    }

    private static string? NamespaceOf(JsonObject item) => item["metadata"]?["namespace"]?.GetValue<string>();

    private static JsonObject WithKind(string resource, JsonObject item)
    {
        var copy = (JsonObject)item.DeepClone();
        copy["kind"] = KindOf(resource);
        copy["apiVersion"] = ApiVersionOf(resource);
        return copy;
    }

    private static string KindOf(string resource) => resource switch
    {
        "services" => "Service",
        "endpointslices" => "EndpointSlice",
        _ => "Endpoints",
    };

    private static string ApiVersionOf(string resource) => resource == "endpointslices" ? "discovery.k8s.io/v1" : "v1";

    private static string Text(long version) => version.ToString(CultureInfo.InvariantCulture);
}
