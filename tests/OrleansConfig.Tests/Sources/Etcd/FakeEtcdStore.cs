using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using OrleansConfig.Sources.Etcd;

namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>An in-memory etcd: keys, revisions, history, compaction, watches, and an outage switch.</summary>
internal sealed class FakeEtcdStore : IEtcdStore
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<string, EtcdKeyValue> _keys = new(StringComparer.Ordinal);
    private readonly List<EtcdEvent> _history = [];
    private readonly List<(string Prefix, Channel<EtcdWatchResponse> Channel)> _watches = [];
    private bool _down;

    public long Revision { get; private set; } = 1;

    public long CompactRevision { get; private set; }

    /// <summary>The start revision of every watch asked for, in order.</summary>
    public List<long> WatchStarts { get; } = [];

    public int Lists { get; private set; }

    /// <summary>Calls that failed and open watches that broke because of an outage: what the source must count as errors.</summary>
    public int Failures { get; private set; }

    public long Put(string key, string value) => Txn((key, value));

    public long Delete(string key) => Txn((key, null));

    /// <summary>Puts (value) and deletes (null) at one revision, like an etcd transaction.</summary>
    public long Txn(params (string Key, string? Value)[] ops)
    {
        lock (_gate)
        {
            var revision = ++Revision;
            List<EtcdEvent> events = [];
            foreach (var (key, value) in ops)
            {
                if (value is null)
                {
                    if (_keys.Remove(key)) events.Add(EtcdEvent.Delete(key, revision));
                }
                else
                {
                    _keys[key] = new EtcdKeyValue(key, Encoding.UTF8.GetBytes(value), revision);
                    events.Add(EtcdEvent.Put(key, value, revision));
                }
            }
            _history.AddRange(events);
            foreach (var (prefix, channel) in _watches)
            {
                var mine = events.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
                if (mine.Length > 0) channel.Writer.TryWrite(new EtcdWatchResponse { Events = mine, HeaderRevision = revision });
            }
            return revision;
        }
    }

    public void Compact()
    {
        lock (_gate)
        {
            CompactRevision = Revision;
            _history.RemoveAll(e => e.ModRevision <= CompactRevision);
        }
    }

    /// <summary>etcd becomes unreachable: open watches break and calls fail until <see cref="ComeBack"/>.</summary>
    public void GoDown()
    {
        lock (_gate)
        {
            _down = true;
            Failures += _watches.Count;
            foreach (var (_, channel) in _watches) channel.Writer.TryComplete(new EtcdStoreException("watch failed: Unavailable: fake outage"));
            _watches.Clear();
        }
    }

    public void ComeBack()
    {
        lock (_gate) _down = false;
    }

    public Task<EtcdRange> GetRangeAsync(string prefix, long revision, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_down)
            {
                Failures++;
                throw new EtcdStoreException("list failed: Unavailable: fake outage");
            }
            if (revision != 0 && revision != Revision) throw new InvalidOperationException("the fake reads only the newest revision");
            Lists++;
            var items = _keys.Values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToArray();
            return Task.FromResult(new EtcdRange(items, Revision));
        }
    }

    public async IAsyncEnumerable<EtcdWatchResponse> WatchAsync(string prefix, long startRevision,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<EtcdWatchResponse>();
        lock (_gate)
        {
            if (_down)
            {
                Failures++;
                throw new EtcdStoreException("watch failed: Unavailable: fake outage");
            }
            WatchStarts.Add(startRevision);
            channel.Writer.TryWrite(new EtcdWatchResponse { Created = true, HeaderRevision = Revision });
            if (startRevision <= CompactRevision)
            {
                channel.Writer.TryWrite(
                    new EtcdWatchResponse { Canceled = true, CompactRevision = CompactRevision, HeaderRevision = Revision });
                channel.Writer.TryComplete();
            }
            else
            {
                foreach (
                    var group in _history.Where(e => e.ModRevision >= startRevision && e.Key.StartsWith(prefix, StringComparison.Ordinal))
                    .GroupBy(e => e.ModRevision))
                {
                    channel.Writer.TryWrite(new EtcdWatchResponse { Events = [.. group], HeaderRevision = group.Key });
                }
                _watches.Add((prefix, channel));
            }
        }
        try
        {
            await foreach (var response in channel.Reader.ReadAllAsync(cancellationToken)) yield return response;
        }
        finally
        {
            lock (_gate) _watches.RemoveAll(w => w.Channel == channel);
        }
    }

    public void Dispose()
    {
    }
}
