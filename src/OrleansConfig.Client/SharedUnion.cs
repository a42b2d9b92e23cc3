using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client.Diagnostics;

namespace OrleansConfig.Client;

/// <summary>
/// One subscription and one view of one kind, shared by every <see cref="ServiceConfig"/> or <see cref="EndpointsConfig"/>
/// of a client (client-go's shared informer): each stream delivery is received, deserialized and applied once per
/// process, and a handler told the whole union reads the one immutable list of that generation. Each member keeps its
/// own handlers, readiness and report; the union tells it when the view moved.
/// </summary>
internal sealed class SharedUnion<T, TUpdate> : IUnionSink, ISharedUnion
    where T : class, IConfigItem
    where TUpdate : class
{
    private readonly ConfigKind<T, TUpdate> _kind;
    private readonly TimeProvider _time;
    private readonly ClientMetrics _metrics;

    // Copy-on-write, changed under ApplyLock, so an apply tells exactly the members that had joined when it began.
    private ImmutableArray<IUnionMember<T>> _members = [];

    public SharedUnion(
        IConfigBackend backend, ConfigKind<T, TUpdate> kind, ConfigClientOptions options, TimeProvider time, ILoggerFactory loggerFactory,
        ClientMetrics metrics)
    {
        _kind = kind;
        _time = time;
        _metrics = metrics;
        Subscription = new UnionSubscription(backend, this, options, time, loggerFactory.CreateLogger<UnionSubscription>(), metrics);
    }

    public UnionView<T> View { get; } = new();

    public UnionSubscription Subscription { get; }

    /// <summary>
    /// Held while the view changes and members' change dispatchers are told, and while a member joins or registers a
    /// change handler: a change handler's starting view and the changes it is then told meet exactly.
    /// </summary>
    public Lock ApplyLock { get; } = new();

    /// <summary>The members following the view now (tests and diagnostics).</summary>
    public int MemberCount => _members.Length;

    public ConfigKinds Kinds => _kind.Kinds;

    /// <summary>Adds <paramref name="member"/>; if the view already holds a snapshot it is told so at once.</summary>
    public void Join(IUnionMember<T> member)
    {
        bool synced;
        lock (ApplyLock)
        {
            _members = _members.Add(member);
            synced = View.HasSnapshot;
            if (synced) member.Moved(View.Version, View.Generation, null);
        }
        if (synced) member.Told(changed: false);
    }

    /// <summary>Stops telling <paramref name="member"/>; an apply under way may still tell it once.</summary>
    public void Leave(IUnionMember<T> member)
    {
        lock (ApplyLock) _members = _members.Remove(member);
    }

    void IUnionSink.ApplySnapshot(UnionSnapshot snapshot)
    {
        bool changed;
        ImmutableArray<IUnionMember<T>> members;
        lock (ApplyLock)
        {
            members = _members;
            // The difference is O(n), and only worked out when a change handler needs it.
            var changes = WantChanges(members) ? new List<ItemChange<T>>() : null;
            changed = View.ApplySnapshot(snapshot.Version, _kind.FromSnapshot(snapshot), changes);
            Moved(members, snapshot.Version, changed ? changes : null);
        }
        foreach (var member in members) member.Told(changed);
    }

    void IUnionSink.ApplyDelta(UnionDelta delta)
    {
        var change = delta.Change;
        bool changed;
        ImmutableArray<IUnionMember<T>> members;
        lock (ApplyLock)
        {
            members = _members;
            var changes = WantChanges(members) ? new List<ItemChange<T>>() : null;
            changed = View.ApplyDelta(delta.Version, change.Source, _kind.Upserted(change), _kind.Removed(change), changes);
            Moved(members, delta.Version, changed ? changes : null);
        }
        if (!changed) return;
        foreach (var member in members) member.Told(changed: true);
        // Handlers can see the change from now on: that is where it has propagated to (once per view, not per member).
        _metrics.Applied(change.ChangedAt, _time.GetUtcNow());
    }

    public ValueTask DisposeAsync() => Subscription.DisposeAsync();

    private static bool WantChanges(ImmutableArray<IUnionMember<T>> members)
    {
        foreach (var member in members)
        {
            if (member.WantsChanges) return true;
        }
        return false;
    }

    private void Moved(ImmutableArray<IUnionMember<T>> members, UnionVersion version, List<ItemChange<T>>? changes)
    {
        var generation = View.Generation;
        foreach (var member in members) member.Moved(version, generation, changes);
    }
}

/// <summary>What a <see cref="SharedUnion{T, TUpdate}"/> tells each config that follows it.</summary>
internal interface IUnionMember<T> where T : class
{
    /// <summary>Whether it has change handlers, so the union must work out item changes; read under the apply lock.</summary>
    bool WantsChanges { get; }

    /// <summary>
    /// Under the apply lock: the view is at <paramref name="version"/> and <paramref name="generation"/>;
    /// <paramref name="changes"/> (read-only, shared by every member) when the content changed and some member wanted them.
    /// </summary>
    void Moved(UnionVersion version, long generation, IReadOnlyList<ItemChange<T>>? changes);

    /// <summary>After the apply lock: the view holds a snapshot; <paramref name="changed"/> when its content changed.</summary>
    void Told(bool changed);
}
