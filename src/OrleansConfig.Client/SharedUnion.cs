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

    // Copy-on-write, changed under the apply lock, so an apply tells exactly the members that had joined when it began.
    private ImmutableArray<IUnionMember<T>> _members = [];

    // The run: what the deltas applied since members were last told changed (under the apply lock).
    private readonly List<ItemChange<T>> _run = [];
    private bool _runOpen;
    private bool _runChanged;

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

    /// <summary>The item changes every change dispatcher of this union follows.</summary>
    public ChangeFeed<T> Feed { get; } = new();

    public UnionSubscription Subscription { get; }

    /// <summary>
    /// Held while the view changes and members are told, and while a member joins or registers a change handler
    /// (<see cref="UnderApplyLock"/>): a change handler's starting view and the changes it is then told meet exactly.
    /// Whoever takes it to read the view tells the members of the deltas applied so far first.
    /// </summary>
    private readonly Lock _applyLock = new();

    /// <summary>The members following the view now (tests and diagnostics).</summary>
    public int MemberCount => _members.Length;

    public ConfigKinds Kinds => _kind.Kinds;

    /// <summary>Adds <paramref name="member"/>; if the view already holds a snapshot it is told so at once.</summary>
    public void Join(IUnionMember<T> member)
    {
        bool synced;
        Told told;
        lock (_applyLock)
        {
            told = TellLocked();
            _members = _members.Add(member);
            synced = View.HasSnapshot;
            if (synced) member.Moved(View.Version, View.Generation, null);
        }
        told.Tell();
        if (synced) member.Told(changed: false);
    }

    /// <summary>
    /// Runs <paramref name="action"/> under the apply lock, once members are told of every delta applied so far, so what
    /// it reads of the view is what they have been told.
    /// </summary>
    public void UnderApplyLock(Action action)
    {
        Told told;
        lock (_applyLock)
        {
            told = TellLocked();
            action();
        }
        told.Tell();
    }

    /// <summary>Stops telling <paramref name="member"/>; an apply under way may still tell it once.</summary>
    public void Leave(IUnionMember<T> member)
    {
        lock (_applyLock) _members = _members.Remove(member);
    }

    void IUnionSink.ApplySnapshot(UnionSnapshot snapshot)
    {
        Told before, told;
        lock (_applyLock)
        {
            // The deltas before the snapshot are told first, so every member's changes stay in the order applied.
            before = TellLocked();
            // The difference is O(n), and only worked out when a change handler needs it.
            var changes = WantChanges(_members) ? _run : null;
            _runChanged |= View.ApplySnapshot(snapshot.Version, _kind.FromSnapshot(snapshot), changes);
            _runOpen = true;
            told = TellLocked();
        }
        before.Tell();
        told.Tell();
    }

    void IUnionSink.ApplyDelta(UnionDelta delta)
    {
        var change = delta.Change;
        bool changed;
        lock (_applyLock)
        {
            var changes = WantChanges(_members) ? _run : null;
            changed = View.ApplyDelta(delta.Version, change.Source, _kind.Upserted(change), _kind.Removed(change), changes);
            _runChanged |= changed;
            _runOpen = true;
        }
        // Handlers can see the change once members are told; the view has it now (once per view, not per member).
        if (changed) _metrics.Applied(change.ChangedAt, _time.GetUtcNow());
    }

    /// <summary>
    /// The subscription has applied every delta it had: members are told of them as one batch, so a burst costs each
    /// member one wake-up and each change handler one fold, whatever the number of deltas in it.
    /// </summary>
    void IUnionSink.EndOfRun()
    {
        Told told;
        lock (_applyLock) told = TellLocked();
        told.Tell();
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

    /// <summary>
    /// Under the apply lock: tells every member where the view is after the deltas applied since it was last called, with
    /// their changes as one batch of the feed; the returned <see cref="Told"/> finishes the telling outside the lock.
    /// </summary>
    private Told TellLocked()
    {
        if (!_runOpen) return default;
        var members = _members;
        var batch = _runChanged && WantChanges(members) ? Feed.Append(View.Version, View.Generation, [.. _run]) : null;
        _run.Clear();
        _runOpen = false;
        var changed = _runChanged;
        _runChanged = false;
        var generation = View.Generation;
        foreach (var member in members) member.Moved(View.Version, generation, batch);
        return new Told(members, changed);
    }

    /// <summary>The members told under the lock, to be told outside it whether the content changed.</summary>
    private readonly record struct Told(ImmutableArray<IUnionMember<T>> Members, bool Changed)
    {
        public void Tell()
        {
            if (Members.IsDefault) return;
            foreach (var member in Members) member.Told(Changed);
        }
    }
}

/// <summary>What a <see cref="SharedUnion{T, TUpdate}"/> tells each config that follows it.</summary>
internal interface IUnionMember<T> where T : class
{
    /// <summary>Whether it has change handlers, so the union must work out item changes; read under the apply lock.</summary>
    bool WantsChanges { get; }

    /// <summary>
    /// Under the apply lock: the view is at <paramref name="version"/> and <paramref name="generation"/>;
    /// <paramref name="batch"/> (the next batch of the union's feed, shared by every member) when the content changed and
    /// some member wanted the changes.
    /// </summary>
    void Moved(UnionVersion version, long generation, ChangeBatch<T>? batch);

    /// <summary>After the apply lock: the view holds a snapshot; <paramref name="changed"/> when its content changed.</summary>
    void Told(bool changed);
}
