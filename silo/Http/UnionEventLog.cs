using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// What <c>/api/events</c> sends, built once for every open page: the union as each item's JSON (kept in union order,
/// so a snapshot is a concatenation, not a serialization), and a short log of <c>changes</c> events, each made from
/// one change handler call, so a change costs what it changed rather than the union. A page reads from its
/// <see cref="EventCursor"/>: the change events after it, or a fresh snapshot when it is further behind than the log
/// keeps (<c>maxQueued</c> events or <c>maxQueuedBytes</c> of them) or the union started over.
/// </summary>
internal sealed class UnionEventLog
{
    private static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] ListStart = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":["u8.ToArray();

    private readonly Lock _lock = new();
    private readonly int _maxQueued;
    private readonly long _maxQueuedBytes;
    private readonly Kind _services = new("services");
    private readonly Kind _endpoints = new("endpoints");
    // Change events retained: numbers _sequence - _recent.Count + 1 … _sequence.
    private readonly List<byte[]> _recent = [];
    private readonly HashSet<Guid> _retiredEpochs = [];
    private long _recentBytes;
    private long _sequence;
    // The change number the union last started over at (a kind's first snapshot).
    private long _resetAt;
    private long _sourcesRevision;
    private byte[]? _sourcesEvent;
    private UnionVersion? _version;
    private byte[]? _versionEvent;
    private TaskCompletionSource _changed = NewSignal();

    /// <param name="maxQueued">Most change events kept for pages that are behind; one further behind gets a snapshot.</param>
    /// <param name="maxQueuedBytes">Most bytes of change events kept (the newest one is always kept).</param>
    public UnionEventLog(int maxQueued, long maxQueuedBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueued, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxQueuedBytes, 1);
        _maxQueued = maxQueued;
        _maxQueuedBytes = maxQueuedBytes;
    }

    /// <summary>The newest union version seen ("" before any), as <c>epoch:version</c>.</summary>
    public string Version
    {
        get { lock (_lock) return _version?.ToString() ?? ""; }
    }

    /// <summary>Where a page that read everything up to now stands.</summary>
    public EventCursor Head
    {
        get { lock (_lock) return new(_sequence, _sourcesRevision); }
    }

    /// <summary>Applies one Service change handler call: the first resets the union and sends pages a snapshot.</summary>
    public void Apply(ConfigChanges<Service> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Apply(_services, changes.Initial, changes.Version,
            [.. changes.Added, .. changes.Updated.Select(u => u.New)], changes.Removed, s => Manifest.ToJson(s));
    }

    /// <summary>Applies one Endpoints change handler call, as <see cref="Apply(ConfigChanges{Service})"/>.</summary>
    public void Apply(ConfigChanges<Endpoints> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        Apply(_endpoints, changes.Initial, changes.Version,
            [.. changes.Added, .. changes.Updated.Select(u => u.New)], changes.Removed, e => Manifest.ToJson(e));
    }

    /// <summary>Sets the sources (the <c>sources -o json</c> array, compact); false when they are what pages have.</summary>
    public bool SetSources(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        TaskCompletionSource changed;
        lock (_lock)
        {
            var framed = Frame("sources", Encoding.UTF8.GetBytes(json));
            if (_sourcesEvent is not null && framed.AsSpan().SequenceEqual(_sourcesEvent)) return false;
            _sourcesEvent = framed;
            _sourcesRevision++;
            changed = Signal();
        }
        changed.TrySetResult();
        return true;
    }

    /// <summary>
    /// What a page at <paramref name="after"/> is sent next (null: a page that just connected). Empty when nothing
    /// is new; the events are whole Server-Sent Events, shared by every page, never to be changed.
    /// </summary>
    public EventBatch Read(EventCursor? after)
    {
        lock (_lock)
        {
            var head = new EventCursor(_sequence, _sourcesRevision);
            var first = _sequence - _recent.Count + 1;
            if (after is not { } cursor || cursor.Sequence + 1 < first || cursor.Sequence > _sequence)
            {
                var behind = after is { } c && c.Sequence >= _resetAt;
                return new EventBatch(Snapshot(), head, Snapshot: true, FellBehind: behind);
            }
            List<byte[]> events = [];
            for (var n = cursor.Sequence + 1; n <= _sequence; n++) events.Add(_recent[(int)(n - first)]);
            if (cursor.SourcesRevision != _sourcesRevision && _sourcesEvent is not null) events.Add(_sourcesEvent);
            return new EventBatch(events, head, Snapshot: false, FellBehind: false);
        }
    }

    /// <summary>Completes when something after <paramref name="seen"/> is there to read.</summary>
    public Task WaitForChangeAsync(EventCursor seen, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return seen == new EventCursor(_sequence, _sourcesRevision)
                ? _changed.Task.WaitAsync(cancellationToken)
                : Task.CompletedTask;
        }
    }

    private void Apply<T>(Kind kind, bool initial, UnionVersion version, IReadOnlyList<T> upserted, IReadOnlyList<T> removed,
        Func<T, string> toJson)
        where T : IConfigItem
    {
        // Serialized before the lock: the handler's work is the change's, and pages reading are not held up by it.
        var items = upserted.Select(i => (Key: ItemKey.Of(i), Json: Encoding.UTF8.GetBytes(toJson(i))))
            .OrderBy(i => i.Key).ToList();
        var gone = removed.Select(i => ItemKey.Of(i)).Order().ToList();
        TaskCompletionSource changed;
        lock (_lock)
        {
            var versionMoved = Advance(version);
            if (initial)
            {
                kind.Items.Clear();
                foreach (var (key, json) in items) kind.Items[key] = json;
                kind.In = true;
                kind.Snapshot = null;
                // Pages hold the union as it was before: each is sent a snapshot.
                _sequence++;
                _resetAt = _sequence;
                _recent.Clear();
                _recentBytes = 0;
            }
            else
            {
                if (items.Count == 0 && gone.Count == 0 && !versionMoved) return;
                foreach (var (key, json) in items) kind.Items[key] = json;
                foreach (var key in gone) kind.Items.Remove(key);
                if (items.Count > 0 || gone.Count > 0) kind.Snapshot = null;
                Append(ChangesEvent(kind, items, gone));
            }
            changed = Signal();
        }
        changed.TrySetResult();
    }

    /// <summary>The version only moves forward: an older one of this epoch, or one of an epoch left behind, is ignored.</summary>
    private bool Advance(UnionVersion version)
    {
        if (_version is { } current)
        {
            if (current.Epoch == version.Epoch)
            {
                if (version.Version <= current.Version) return false;
            }
            else
            {
                if (_retiredEpochs.Contains(version.Epoch)) return false;
                _retiredEpochs.Add(current.Epoch);
            }
        }
        _version = version;
        _versionEvent = Frame("version", JsonSerializer.SerializeToUtf8Bytes(new { version = version.ToString() }));
        return true;
    }

    private void Append(byte[] changesEvent)
    {
        _sequence++;
        _recent.Add(changesEvent);
        _recentBytes += changesEvent.Length;
        var drop = 0;
        var bytes = _recentBytes;
        while (_recent.Count - drop > _maxQueued || (bytes > _maxQueuedBytes && _recent.Count - drop > 1))
        {
            bytes -= _recent[drop].Length;
            drop++;
        }
        _recent.RemoveRange(0, drop);
        _recentBytes = bytes;
    }

    private byte[] ChangesEvent(Kind changed, List<(ItemKey Key, byte[] Json)> upserted, List<ItemKey> removed)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + upserted.Sum(i => i.Json.Length));
        using (var writer = new Utf8JsonWriter(buffer, Compact))
        {
            writer.WriteStartObject();
            writer.WriteString("version", _version?.ToString() ?? "");
            foreach (var kind in new[] { _services, _endpoints })
            {
                writer.WriteStartObject(kind.Name);
                writer.WriteStartArray("upserted");
                if (kind == changed)
                {
                    foreach (var (_, json) in upserted) writer.WriteRawValue(json, skipInputValidation: true);
                }
                writer.WriteEndArray();
                writer.WriteStartArray("removed");
                if (kind == changed)
                {
                    foreach (var key in removed)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("namespace", key.Namespace);
                        writer.WriteString("name", key.Name);
                        writer.WriteString("source", key.Source);
                        writer.WriteEndObject();
                    }
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        return Frame("changes", buffer.WrittenSpan);
    }

    /// <summary>The events a page starts from: each kind whose union is in, the sources, the version (as before changes existed).</summary>
    private List<byte[]> Snapshot()
    {
        List<byte[]> events = [];
        foreach (var kind in new[] { _services, _endpoints })
        {
            if (!kind.In) continue;
            kind.Snapshot ??= ListEvent(kind);
            events.Add(kind.Snapshot);
        }
        if (_sourcesEvent is not null) events.Add(_sourcesEvent);
        if (_versionEvent is not null) events.Add(_versionEvent);
        return events;
    }

    /// <summary>The kind's union as a compact <c>List</c>, byte for byte what <c>Manifest.ToJson</c> writes.</summary>
    private static byte[] ListEvent(Kind kind)
    {
        var length = ListStart.Length + 2 + kind.Items.Count;
        foreach (var json in kind.Items.Values) length += json.Length;
        var data = new byte[length];
        var span = data.AsSpan();
        ListStart.CopyTo(span);
        var at = ListStart.Length;
        var first = true;
        foreach (var json in kind.Items.Values)
        {
            if (!first) span[at++] = (byte)',';
            first = false;
            json.CopyTo(span[at..]);
            at += json.Length;
        }
        span[at++] = (byte)']';
        span[at++] = (byte)'}';
        return Frame(kind.Name, span[..at]);
    }

    /// <summary>One Server-Sent Event; compact JSON holds no raw line breaks, so the data is one <c>data:</c> line.</summary>
    private static byte[] Frame(string name, ReadOnlySpan<byte> json)
    {
        var head = Encoding.UTF8.GetBytes($"event: {name}\ndata: ");
        var framed = new byte[head.Length + json.Length + 2];
        head.CopyTo(framed, 0);
        json.CopyTo(framed.AsSpan(head.Length));
        framed[^2] = (byte)'\n';
        framed[^1] = (byte)'\n';
        return framed;
    }

    private TaskCompletionSource Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        return changed;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One kind's union: each item's JSON by key, in union order, and its snapshot event once made.</summary>
    private sealed class Kind(string name)
    {
        public string Name { get; } = name;
        public SortedDictionary<ItemKey, byte[]> Items { get; } = [];
        public bool In { get; set; }
        public byte[]? Snapshot { get; set; }
    }

    /// <summary>An item's identity in the union, ordered as the union is: namespace, name, then source (ordinal).</summary>
    private readonly record struct ItemKey(string Namespace, string Name, string Source) : IComparable<ItemKey>
    {
        public static ItemKey Of(IConfigItem item) => new(item.Metadata.Namespace, item.Metadata.Name, item.Source());

        public int CompareTo(ItemKey other)
        {
            var c = string.CompareOrdinal(Namespace, other.Namespace);
            if (c == 0) c = string.CompareOrdinal(Name, other.Name);
            return c != 0 ? c : string.CompareOrdinal(Source, other.Source);
        }
    }
}

/// <summary>Where a page stands in a <see cref="UnionEventLog"/>: the last change event and sources it was sent.</summary>
/// <param name="Sequence">The number of the last change event (or snapshot) the page has.</param>
/// <param name="SourcesRevision">The sources it has.</param>
internal readonly record struct EventCursor(long Sequence, long SourcesRevision);

/// <summary>What a page is sent next.</summary>
/// <param name="Events">Whole Server-Sent Events (UTF-8), in order.</param>
/// <param name="Cursor">Where the page stands once it has them.</param>
/// <param name="Snapshot">True when they are a fresh snapshot rather than the changes since the page's cursor.</param>
/// <param name="FellBehind">True when that snapshot is because the page was further behind than the log keeps.</param>
internal sealed record EventBatch(IReadOnlyList<byte[]> Events, EventCursor Cursor, bool Snapshot, bool FellBehind);
