using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace OrleansConfig.Tests.Sources.Api;

/// <summary>One kind of an in-memory API server: objects, a history of events by resourceVersion, open watches, and
/// failures to inject.</summary>
internal sealed class FakeApiKind<T>(string name, Lock gate, Func<long> nextVersion, Func<long> currentVersion, List<string> calls)
    where T : class, IConfigItem
{
    private readonly SortedDictionary<ObjectKey, T> _objects = [];
    private readonly List<(long Version, ApiWatchEvent<T> Event)> _history = [];
    private readonly List<Channel<ApiWatchEvent<T>>> _watches = [];
    private readonly Queue<Exception> _listFailures = new();
    private readonly Queue<Exception> _watchFailures = new();
    private TaskCompletionSource? _hold;
    private int _held;

    /// <summary>Events at or below this version are forgotten: a watch from before it gets 410.</summary>
    public long Compacted { get; private set; }

    /// <summary>Watches asked for and waiting for <see cref="ReleaseWatches"/>.</summary>
    public int HeldWatches => Volatile.Read(ref _held);

    public int OpenWatches
    {
        get
        {
            lock (gate) return _watches.Count;
        }
    }

    public long Put(T item)
    {
        lock (gate)
        {
            var version = nextVersion();
            var type = _objects.ContainsKey(item.Key()) ? ApiWatchEventType.Modified : ApiWatchEventType.Added;
            _objects[item.Key()] = item;
            Publish(version, new ApiWatchEvent<T>(type, item, Text(version)));
            return version;
        }
    }

    public long Delete(ObjectKey key)
    {
        lock (gate)
        {
            if (!_objects.Remove(key, out var item)) throw new InvalidOperationException($"{key} is not there");
            var version = nextVersion();
            Publish(version, new ApiWatchEvent<T>(ApiWatchEventType.Deleted, item, Text(version)));
            return version;
        }
    }

    /// <summary>Forgets the history: watches from any version before now get 410.</summary>
    public void Compact()
    {
        lock (gate)
        {
            Compacted = currentVersion();
            _history.Clear();
        }
    }

    /// <summary>New watches wait (before anything is decided) until <see cref="ReleaseWatches"/>.</summary>
    public void HoldWatches()
    {
        lock (gate) _hold ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void ReleaseWatches()
    {
        TaskCompletionSource? hold;
        lock (gate)
        {
            hold = _hold;
            _hold = null;
        }
        hold?.TrySetResult();
    }

    public void FailNextList(Exception error)
    {
        lock (gate) _listFailures.Enqueue(error);
    }

    public void FailNextWatch(Exception error)
    {
        lock (gate) _watchFailures.Enqueue(error);
    }

    /// <summary>Sends a bookmark at the current version to every open watch.</summary>
    public void Bookmark()
    {
        lock (gate)
        {
            foreach (var watch in _watches)
            {
                watch.Writer.TryWrite(new ApiWatchEvent<T>(ApiWatchEventType.Bookmark, null, Text(currentVersion())));
            }
        }
    }

    /// <summary>The server ends every open watch normally (<paramref name="error"/> null) or breaks it.</summary>
    public void EndWatches(Exception? error = null)
    {
        lock (gate)
        {
            foreach (var watch in _watches) watch.Writer.TryComplete(error);
            _watches.Clear();
        }
    }

    /// <summary>Every object held, in key order.</summary>
    public T[] All()
    {
        lock (gate) return [.. _objects.Values];
    }

    /// <param name="down">The server is down.</param>
    /// <param name="cancellationToken">Unused.</param>
    /// <param name="ns">The namespace listed, or null for all.</param>
    public Task<ApiList<T>> ListAsync(bool down, CancellationToken cancellationToken, string? ns = null)
    {
        lock (gate)
        {
            calls.Add(ns is null ? $"list {name}" : $"list {name} in {ns}");
            if (down) throw Refused();
            if (_listFailures.TryDequeue(out var failure)) throw failure;
            List<T> items = [.. _objects.Values.Where(o => ns is null || o.Key().Namespace == ns)];
            return Task.FromResult(new ApiList<T>(items, Text(currentVersion())));
        }
    }

    public async IAsyncEnumerable<ApiWatchEvent<T>> WatchAsync(bool down, string resourceVersion,
        [EnumeratorCancellation] CancellationToken cancellationToken, string? ns = null)
    {
        var channel = Channel.CreateUnbounded<ApiWatchEvent<T>>();
        Task? hold;
        lock (gate)
        {
            calls.Add(ns is null ? $"watch {name} from {resourceVersion}" : $"watch {name} in {ns} from {resourceVersion}");
            hold = _hold?.Task;
        }
        if (hold is not null)
        {
            Interlocked.Increment(ref _held);
            try
            {
                await hold.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _held);
            }
        }
        lock (gate)
        {
            if (down) throw Refused();
            if (_watchFailures.TryDequeue(out var failure)) throw failure;
            var from = long.Parse(resourceVersion, CultureInfo.InvariantCulture);
            if (from < Compacted) throw new ApiServerException(410, "Expired", $"too old resource version: {from} ({Compacted})");
            foreach (var (version, e) in _history.Where(h => h.Version > from)) channel.Writer.TryWrite(e);
            _watches.Add(channel);
        }
        try
        {
            await foreach (var e in channel.Reader.ReadAllAsync(cancellationToken))
            {
                if (ns is null || e.Object is null || e.Object.Key().Namespace == ns) yield return e;
            }
        }
        finally
        {
            lock (gate) _watches.Remove(channel);
        }
    }

    private void Publish(long version, ApiWatchEvent<T> e)
    {
        _history.Add((version, e));
        foreach (var watch in _watches) watch.Writer.TryWrite(e);
    }

    private static HttpRequestException Refused() => new("Connection refused (127.0.0.1:6443)");

    private static string Text(long version) => version.ToString(CultureInfo.InvariantCulture);
}
