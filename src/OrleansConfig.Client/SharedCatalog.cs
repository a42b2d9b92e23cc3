using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Diagnostics;

namespace OrleansConfig.Client;

/// <summary>
/// One subscription (both kinds, read at one union version) and one <see cref="CatalogState"/>, shared by every
/// <see cref="ServiceCatalog"/> of a client with the same source priority and subscription settings. Each catalog
/// keeps its own handlers, readiness and report; the shared catalog tells it what changed.
/// </summary>
internal sealed class SharedCatalog : IUnionSink, ISharedUnion
{
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ClientMetrics _metrics;
    private ImmutableArray<ICatalogMember> _members = [];
    private View _view = new(default, ImmutableSortedDictionary<ObjectKey, CatalogEntry>.Empty);

    public SharedCatalog(
        IConfigBackend backend, SourcePriority priority, ConfigClientOptions options, TimeProvider time, ILoggerFactory loggerFactory,
        ClientMetrics metrics)
    {
        _time = time;
        // Conflicts are logged once per process, under the catalog's category.
        _logger = loggerFactory.CreateLogger<ServiceCatalog>();
        _metrics = metrics;
        State = new CatalogState(priority);
        Subscription = new UnionSubscription(backend, this, options, time, loggerFactory.CreateLogger<UnionSubscription>(), metrics);
    }

    /// <summary>The key a catalog with <paramref name="priority"/> shares under.</summary>
    public static string Key(IReadOnlyList<string> priority) => "catalog\n" + string.Join('\n', priority);

    public UnionSubscription Subscription { get; }

    /// <summary>Written only under <see cref="Lock"/>.</summary>
    public CatalogState State { get; }

    /// <summary>Held while the state changes and members are told, and while a member joins or registers a handler.</summary>
    public Lock Lock { get; } = new();

    public bool HasSnapshot { get; private set; }

    public UnionVersion Version => Volatile.Read(ref _view).Version;

    /// <summary>Every entry, as an immutable snapshot consistent at <see cref="Version"/>.</summary>
    public ImmutableSortedDictionary<ObjectKey, CatalogEntry> Entries => Volatile.Read(ref _view).Entries;

    public int MemberCount => _members.Length;

    public ConfigKinds Kinds => ConfigKinds.All;

    /// <summary>Adds <paramref name="member"/>; if the state already holds a snapshot it is told so at once.</summary>
    public void Join(ICatalogMember member)
    {
        lock (Lock)
        {
            _members = _members.Add(member);
            if (HasSnapshot) member.Applied(new CatalogUpdate([], []), snapshot: true);
        }
    }

    public void Leave(ICatalogMember member)
    {
        lock (Lock) _members = _members.Remove(member);
    }

    void IUnionSink.ApplySnapshot(UnionSnapshot snapshot)
    {
        lock (Lock) Applied(State.ApplySnapshot(snapshot.Version, snapshot.Services, snapshot.Endpoints), snapshot: true);
    }

    void IUnionSink.ApplyDelta(UnionDelta delta)
    {
        var change = delta.Change;
        lock (Lock)
        {
            Applied(State.ApplyDelta(
                delta.Version, change.Source, change.UpsertedServices, change.RemovedServices, change.UpsertedEndpoints,
                change.RemovedEndpoints), snapshot: false);
        }
        // Handlers can see the change from now on: that is where it has propagated to.
        _metrics.Applied(change.ChangedAt, _time.GetUtcNow());
    }

    public ValueTask DisposeAsync() => Subscription.DisposeAsync();

    private void Applied(CatalogUpdate update, bool snapshot)
    {
        HasSnapshot = true;
        Volatile.Write(ref _view, new View(State.Version, State.Entries));
        foreach (var conflict in update.NewConflicts) ServiceCatalog.LogConflict(_logger, conflict);
        foreach (var member in _members) member.Applied(update, snapshot);
    }

    private sealed record View(UnionVersion Version, ImmutableSortedDictionary<ObjectKey, CatalogEntry> Entries);
}

/// <summary>What a <see cref="SharedCatalog"/> tells each catalog that follows it, under its lock.</summary>
internal interface ICatalogMember
{
    /// <summary>The entries changed by <paramref name="update"/>; <paramref name="snapshot"/> when a snapshot brought it.</summary>
    void Applied(CatalogUpdate update, bool snapshot);
}
