using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Diagnostics;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig.Client;

/// <summary>
/// The shared unions of one Orleans client: per kind and per subscription settings, one
/// <see cref="SharedUnion{T, TUpdate}"/> (and per source priority one <see cref="SharedCatalog"/>), counted by the configs that use it. The last config to leave ends its
/// subscription; the next config made starts a new one. A config built on a backend of its own (tests) gets a registry
/// of its own, and so a subscription of its own.
/// </summary>
internal sealed class SharedUnions(IConfigBackend backend, ISubscriberReportTarget? reports = null)
{
    // Per client instance, not per service provider: a client object is what owns a stream subscription.
    private static readonly ConditionalWeakTable<IClusterClient, SharedUnions> OfClients = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, SubscriptionSettings Settings), Entry> _unions = [];

    public IConfigBackend Backend => backend;

    /// <summary>Where the client's subscribers report, together (null: a backend of its own, which reports nowhere).</summary>
    public ISubscriberReportTarget? Reports => reports;

    /// <summary>The unions running now (tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_lock) return _unions.Count; }
    }

    public static SharedUnions Of(IClusterClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return OfClients.GetValue(client, static c => new SharedUnions(new ClusterConfigBackend(c), ClusterReportTarget.Create(c)));
    }

    /// <summary>
    /// The running union of <paramref name="kind"/> for configs with <paramref name="options"/>' subscription settings,
    /// started now if there is none; each call must be matched by one <see cref="ReleaseAsync"/>.
    /// </summary>
    public SharedUnion<T, TUpdate> Acquire<T, TUpdate>(
        ConfigKind<T, TUpdate> kind, ConfigClientOptions options, TimeProvider time, ILoggerFactory loggerFactory, ClientMetrics metrics)
        where T : class, IConfigItem
        where TUpdate : class =>
        Acquire(kind.Name, options, () => new SharedUnion<T, TUpdate>(backend, kind, options, time, loggerFactory, metrics));

    /// <summary>
    /// The running union that <paramref name="key"/> names (a kind, or a catalog and its priority) for
    /// <paramref name="options"/>' subscription settings, made by <paramref name="create"/> and started if there is none.
    /// </summary>
    public TUnion Acquire<TUnion>(string key, ConfigClientOptions options, Func<TUnion> create) where TUnion : class, ISharedUnion
    {
        var fullKey = (key, SubscriptionSettings.Of(options));
        lock (_lock)
        {
            if (_unions.TryGetValue(fullKey, out var entry))
            {
                entry.References++;
                return (TUnion)entry.Union;
            }

            var union = create();
            _unions.Add(fullKey, new Entry(union));
            union.Subscription.Start();
            return union;
        }
    }

    /// <summary>One user fewer; the last one ends the union's subscription.</summary>
    public async ValueTask ReleaseAsync(ISharedUnion union)
    {
        lock (_lock)
        {
            var (key, entry) = _unions.Single(u => ReferenceEquals(u.Value.Union, union));
            if (--entry.References > 0) return;
            _unions.Remove(key);
        }
        await union.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Entry(ISharedUnion union)
    {
        public ISharedUnion Union { get; } = union;

        public int References { get; set; } = 1;
    }

    /// <summary>The options a subscription follows the union by; configs that agree on them share one.</summary>
    private readonly record struct SubscriptionSettings(
        TimeSpan ProbeInterval, TimeSpan SnapshotRetryDelay, TimeSpan MaxRetryDelay, TimeSpan DisposeTimeout)
    {
        public static SubscriptionSettings Of(ConfigClientOptions options) =>
            new(options.ProbeInterval, options.SnapshotRetryDelay, options.MaxRetryDelay, options.DisposeTimeout);
    }
}

/// <summary>A subscription and what it feeds, shared by the configs or catalogs of one client.</summary>
internal interface ISharedUnion : IAsyncDisposable
{
    UnionSubscription Subscription { get; }
}
