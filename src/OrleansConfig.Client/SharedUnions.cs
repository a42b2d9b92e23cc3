using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Diagnostics;

namespace OrleansConfig.Client;

/// <summary>
/// The shared unions of one Orleans client: per kind and per subscription settings, one
/// <see cref="SharedUnion{T, TUpdate}"/>, counted by the configs that use it. The last config to leave ends its
/// subscription; the next config made starts a new one. A config built on a backend of its own (tests) gets a registry
/// of its own, and so a subscription of its own.
/// </summary>
internal sealed class SharedUnions(IConfigBackend backend)
{
    // Per client instance, not per service provider: a client object is what owns a stream subscription.
    private static readonly ConditionalWeakTable<IClusterClient, SharedUnions> OfClients = new();

    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, SubscriptionSettings Settings), Entry> _unions = [];

    public IConfigBackend Backend => backend;

    /// <summary>The unions running now (tests and diagnostics).</summary>
    public int Count
    {
        get { lock (_lock) return _unions.Count; }
    }

    public static SharedUnions Of(IClusterClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return OfClients.GetValue(client, static c => new SharedUnions(new ClusterConfigBackend(c)));
    }

    /// <summary>
    /// The running union of <paramref name="kind"/> for configs with <paramref name="options"/>' subscription settings,
    /// started now if there is none; each call must be matched by one <see cref="ReleaseAsync"/>.
    /// </summary>
    public SharedUnion<T, TUpdate> Acquire<T, TUpdate>(
        ConfigKind<T, TUpdate> kind, ConfigClientOptions options, TimeProvider time, ILoggerFactory loggerFactory, ClientMetrics metrics)
        where T : class, IConfigItem
        where TUpdate : class
    {
        var key = (kind.Name, SubscriptionSettings.Of(options));
        lock (_lock)
        {
            if (_unions.TryGetValue(key, out var entry))
            {
                entry.References++;
                return (SharedUnion<T, TUpdate>)entry.Union;
            }

            var union = new SharedUnion<T, TUpdate>(backend, kind, options, time, loggerFactory, metrics);
            _unions.Add(key, new Entry(union));
            union.Subscription.Start();
            return union;
        }
    }

    /// <summary>One user fewer; the last one ends the union's subscription.</summary>
    public async ValueTask ReleaseAsync(IAsyncDisposable union)
    {
        lock (_lock)
        {
            var (key, entry) = _unions.Single(u => ReferenceEquals(u.Value.Union, union));
            if (--entry.References > 0) return;
            _unions.Remove(key);
        }
        await union.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Entry(IAsyncDisposable union)
    {
        public IAsyncDisposable Union { get; } = union;

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
