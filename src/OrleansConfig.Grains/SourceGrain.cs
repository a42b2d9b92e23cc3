using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Placement;
using Orleans.Storage;
using OrleansConfig.Diagnostics;
using OrleansConfig.Persistence;
using OrleansConfig.State;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>One origin's state: validates, applies, stores, then forwards the change to the union.</summary>
// Random, not Orleans' default resource-optimized placement: after a restart the aggregator activates every source at
// once, and placement by load statistics (all equal then) put all ten sources of a 200,000-item union on one silo, which
// took over 10 s to load them while the other silos idled.
[RandomPlacement]
internal sealed partial class SourceGrain(
    IOptions<UpdateLimits> limits,
    IOptions<JournalOptions> journalOptions,
    IOptions<DeletionGuardOptions> deletionGuard,
    IOptions<ValidationOptions> validation,
    IOptions<SourceLifetimeOptions> lifetimes,
    TimeProvider time,
    OrleansConfigMetrics metrics,
    SourceLivenessMetrics livenessMetrics,
    ILogger<SourceGrain> logger) : Grain, ISourceGrain
{
    private static readonly TimeSpan CatchUpPeriod = TimeSpan.FromSeconds(1);

    private SourceJournal _journal = null!;
    private SourceState _state = null!;
    private SourceBookkeeping _book = new();
    private IGrainTimer? _catchUp;

    // Staleness: the clock counts silence from _heardAt; one timer fires at the next deadline, so a change costs nothing more.
    private SourceLiveness _liveness = null!;
    private DateTimeOffset _heardAt;
    private IGrainTimer? _lifetimeTimer;
    private bool _lifetimeArmed;
    private bool _staleLogged;
    private SourceLivenessMetrics.Entry? _livenessEntry;

    private string Name => this.GetPrimaryKeyString();

    /// <summary>Every item the source holds: Services, Endpoints (merged ones too), slices and shadowed Endpoints.</summary>
    private int ItemCount => _state.Services.Count + _state.Endpoints.Count + _state.Slices.Count + _state.Shadowed.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(OrleansConfigSilo.StorageName);
        _journal = new SourceJournal(storage, this.GetGrainId(), Name, journalOptions.Value);
        var loading = time.GetTimestamp();
        (_state, _book) = await _journal.Load(cancellationToken);
        // Only a source with stored items: a name merely asked about (perhaps a hostile one) is not logged.
        if (ItemCount > 0) LogLoaded(Name, ItemCount, (long)time.GetElapsedTime(loading).TotalMilliseconds);
        var stored = _book.Incarnation != Guid.Empty;
        if (_book.Incarnation == Guid.Empty)
        {
            // Nothing stored yet (or storage was lost): this is a new history of the source.
            _book = _book with { Incarnation = Guid.NewGuid() };
            _state.Incarnation = _book.Incarnation;
        }
        // A silo may have died between storing a change and forwarding it: make sure the union has it.
        if (_state.Sequence > 0) StartCatchUp(TimeSpan.Zero);

        _liveness = new SourceLiveness(lifetimes.Value.For(Name));
        // Heartbeats are not stored (a write each would cost more than they tell): silence counts from this
        // activation, so a restart never drops a source that may well be alive.
        _heardAt = time.GetUtcNow();
        if (_book.Dropped && _liveness.Lifetime.DropAfter is null)
        {
            // Dropping was switched off since: the items go back (the catch-up tells the union, after activation).
            await Store(Unchanged(), _book with { Dropped = false });
            StartCatchUp(TimeSpan.Zero);
        }
        // Only a source that has written something is watched and measured: a name merely asked about is neither
        // kept in memory nor given a metric series.
        if (stored) Watch(_heardAt);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_livenessEntry is { } entry) livenessMetrics.Untrack(entry);
        return Task.CompletedTask;
    }

    public async Task<ApplyResult> Apply(SourceUpdate update)
    {
        var now = time.GetUtcNow();
        if (SourceName.Check(Name) is { } badName)
        {
            // Not this source's metrics or log fields: the name itself may be the hostile part.
            LogBadName(ErrorText.Quote(Name), badName);
            return ApplyResult.Rejected([new FieldError("source", badName)]);
        }
        var errors = UpdateValidator.Validate(update, limits.Value, validation.Value);
        if (errors.Count > 0)
        {
            LogRejected(Name, errors.Count, errors[0].ToString());
            metrics.UpdateRejected(Name, update, "invalid");
            return ApplyResult.Rejected(errors);
        }

        var delta = _state.Plan(update, now, out var slices);
        if (DeletionGuard.Check(Name, update, delta, ItemCount, deletionGuard.Value, slices) is { } refused)
        {
            LogRejected(Name, 1, refused.ToString());
            metrics.UpdateRejected(Name, update, "deletion_guard");
            return ApplyResult.Rejected([refused]);
        }
        await Heard(now);
        var (servicesRevision, endpointsRevision, slicesRevision) = _state.RevisionsAfter(update);
        var book = _book with
        {
            LastHeard = now,
            Synced = _book.Synced || update.Synced,
            LastChange = delta.IsEmpty ? _book.LastChange : now,
            ServicesRevision = servicesRevision,
            EndpointsRevision = endpointsRevision,
            EndpointSlicesRevision = slicesRevision,
        };
        if (delta.IsEmpty && slices.IsEmpty && book with { LastHeard = _book.LastHeard } == _book)
        {
            _book = book;
            metrics.UpdateApplied(Name, update);
            return new ApplyResult { Accepted = true, Sequence = _state.Sequence };
        }

        await Store(delta, book, slices);
        metrics.UpdateApplied(Name, update);
        if (!delta.IsEmpty) await Forward(delta);
        return new ApplyResult { Accepted = true, Changed = !delta.IsEmpty, Sequence = _state.Sequence };
    }

    public Task<SourceSnapshot> GetSnapshot() => Task.FromResult(_state.ToSnapshot() with { Dropped = _book.Dropped });

    public Task<SourceStatus> GetStatus() => Task.FromResult(new SourceStatus
    {
        Name = Name,
        Services = _state.Services.Count,
        Endpoints = _state.Endpoints.Count,
        Sequence = _state.Sequence,
        LastChange = _book.LastChange,
        LastHeard = _book.LastHeard,
        Synced = _book.Synced,
        LastError = _book.LastError,
        LastErrorAt = _book.LastErrorAt,
        LastWarning = _book.LastWarning,
        // A source that has never written anything has nothing to be stale about.
        Stale = _book.Dropped || (_livenessEntry is not null && _liveness.IsStale(_heardAt, time.GetUtcNow())),
        Dropped = _book.Dropped,
        StaleAfter = _liveness.Lifetime.StaleAfter,
        DropAfter = _liveness.Lifetime.DropAfter,
    });

    public async Task Heartbeat()
    {
        if (SourceName.Check(Name) is { } badName) throw new ArgumentException($"source: {badName}");
        var now = time.GetUtcNow();
        await Heard(now);
        _book = _book with { LastHeard = now };
    }

    public async Task ReportError(string? error)
    {
        if (SourceName.Check(Name) is { } badName) throw new ArgumentException($"source: {badName}");
        var now = time.GetUtcNow();
        // An adapter that reports a failure is not heard from: a source failing for long enough goes stale.
        if (error is null) await Heard(now);
        var lastHeard = error is null ? now : _book.LastHeard;
        if (_book.LastError == error)
        {
            _book = _book with { LastHeard = lastHeard };
            return;
        }
        await Store(Unchanged(), _book with { LastHeard = lastHeard, LastError = error, LastErrorAt = error is null ? null : now });
    }

    public async Task ReportWarning(string? warning)
    {
        if (_book.LastWarning == warning) return;
        await Store(Unchanged(), _book with { LastWarning = warning });
    }

    public async Task Clear()
    {
        await _journal.Clear();
        _catchUp?.Dispose();
        _catchUp = null;
        _lifetimeTimer?.Dispose();
        _lifetimeTimer = null;
        // Start afresh on the next call: a new history, with a new incarnation.
        DeactivateOnIdle();
    }

    /// <summary>Notes that the source is alive; a dropped source's items go back into the union first.</summary>
    private async Task Heard(DateTimeOffset now)
    {
        _heardAt = now;
        if (_livenessEntry is { } entry) entry.HeardAt = now;
        if (_staleLogged)
        {
            _staleLogged = false;
            LogHeardAgain(Name, _book.Dropped);
        }
        if (_book.Dropped)
        {
            await Store(Unchanged(), _book with { Dropped = false, LastHeard = now });
            if (_livenessEntry is { } back) back.Dropped = false;
            await TellUnionDropped(false);
        }
        if (!_lifetimeArmed || _livenessEntry is null) Watch(now);
    }

    /// <summary>Keeps the grain and its clock in memory while its source has a lifetime, and waits for the next deadline.</summary>
    private void Watch(DateTimeOffset now)
    {
        // Stored or heard from, so a name the grains accept (a hostile name never gets this far).
        _livenessEntry ??= livenessMetrics.Track(Name, _liveness, now);
        _livenessEntry.Dropped = _book.Dropped;
        if (!_liveness.Enabled) return;
        // Timer ticks alone do not keep a grain from idle collection, and a collected grain's clock would stop.
        DelayDeactivation(TimeSpan.MaxValue);
        ArmLifetime(now);
    }

    /// <summary>At a deadline: says the source is stale once, drops it when its DropAfter has passed, and waits for the next.</summary>
    private async Task CheckLifetime(CancellationToken cancellationToken)
    {
        _lifetimeArmed = false;
        var now = time.GetUtcNow();
        if (_liveness.IsStale(_heardAt, now) && !_staleLogged)
        {
            _staleLogged = true;
            LogStale(Name, now - _heardAt);
        }
        if (_liveness.ShouldDrop(_heardAt, now) && !_book.Dropped)
        {
            await Store(Unchanged(), _book with { Dropped = true });
            if (_livenessEntry is { } entry) entry.Dropped = true;
            LogDropped(Name, now - _heardAt, _state.Services.Count, _state.Endpoints.Count);
            await TellUnionDropped(true);
        }
        ArmLifetime(now);
    }

    private void ArmLifetime(DateTimeOffset now)
    {
        if (_liveness.NextDeadline(_heardAt, now) is not { } next)
        {
            _lifetimeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        _lifetimeArmed = true;
        if (_lifetimeTimer is null)
        {
            _lifetimeTimer = this.RegisterGrainTimer(CheckLifetime, new GrainTimerCreationOptions(next - now, Timeout.InfiniteTimeSpan));
        }
        else
        {
            _lifetimeTimer.Change(next - now, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task TellUnionDropped(bool dropped)
    {
        try
        {
            await GrainFactory.GetAggregator().SetDropped(Name, dropped);
        }
        catch (Exception ex)
        {
            // Stored already: the catch-up tells the union again until it has it.
            LogForwardFailed(ex, Name, _state.Sequence);
            StartCatchUp(CatchUpPeriod);
        }
    }

    private SourceDelta Unchanged() => new() { Source = Name, Sequence = _state.Sequence, PreviousSequence = _state.Sequence };

    /// <summary>Journals the change, and only then makes it visible.</summary>
    private async Task Store(SourceDelta delta, SourceBookkeeping book, SliceChange? slices = null)
    {
        slices ??= SliceChange.None;
        var changed = !delta.IsEmpty || !slices.IsEmpty;
        try
        {
            if (changed && _journal.SnapshotInstead(delta.Size + slices.Size, ItemCount))
            {
                var (services, endpoints) = _state.Project(delta);
                var (sliceItems, shadowed) = _state.Project(slices);
                await _journal.Compact(new SourceRecord
                {
                    Sequence = delta.Sequence,
                    Services = services,
                    Endpoints = endpoints,
                    EndpointSlices = sliceItems,
                    ShadowedEndpoints = shadowed,
                    Bookkeeping = book,
                });
            }
            else
            {
                await _journal.Append(delta, book, slices);
            }
        }
        catch
        {
            // Whether the write landed is unknown: start again from what storage holds.
            DeactivateOnIdle();
            throw;
        }
        if (changed) _state.Commit(delta, slices);
        _state.ServicesRevision = book.ServicesRevision;
        _state.EndpointsRevision = book.EndpointsRevision;
        _state.EndpointSlicesRevision = book.EndpointSlicesRevision;
        _book = book;
        if (_journal.CompactionDue(ItemCount))
        {
            try
            {
                await _journal.Compact(_state, _book);
            }
            catch (Exception ex)
            {
                // The journal still holds every change; compaction is retried after the next one.
                LogCompactionFailed(ex, Name);
            }
        }
    }

    private async Task Forward(SourceDelta delta)
    {
        try
        {
            await GrainFactory.GetAggregator().Apply(delta);
        }
        catch (Exception ex)
        {
            // The change is stored, so it is accepted; the union catches up from our snapshot.
            LogForwardFailed(ex, Name, delta.Sequence);
            StartCatchUp(CatchUpPeriod);
        }
    }

    private void StartCatchUp(TimeSpan dueTime) =>
        _catchUp ??= this.RegisterGrainTimer(CatchUp, new GrainTimerCreationOptions(dueTime, CatchUpPeriod) { Interleave = true });

    private async Task CatchUp(CancellationToken cancellationToken)
    {
        try
        {
            var aggregator = GrainFactory.GetAggregator();
            await aggregator.SetDropped(Name, _book.Dropped);
            await aggregator.CatchUp(Name, _state.Incarnation, _state.Sequence);
            _catchUp?.Dispose();
            _catchUp = null;
        }
        catch (Exception ex)
        {
            LogForwardFailed(ex, Name, _state.Sequence);
        }
    }

    [LoggerMessage(1101, LogLevel.Warning, "Source {Source}: update rejected with {Count} error(s), first: {First}")]
    private partial void LogRejected(string source, int count, string first);

    [LoggerMessage(1102, LogLevel.Warning, "Update for source {Source} refused: source: {Error}")]
    private partial void LogBadName(string source, string error);

    [LoggerMessage(1103, LogLevel.Warning, "Source {Source}: change {Sequence} is stored but not yet in the union; retrying")]
    private partial void LogForwardFailed(Exception ex, string source, long sequence);

    [LoggerMessage(1104, LogLevel.Warning, "Source {Source}: journal compaction failed; will retry")]
    private partial void LogCompactionFailed(Exception ex, string source);

    [LoggerMessage(1105, LogLevel.Warning, "Source {Source} has not been heard from for {Silence}: stale; its items stay in the union")]
    private partial void LogStale(string source, TimeSpan silence);

    [LoggerMessage(1106, LogLevel.Warning,
        "Source {Source} has not been heard from for {Silence}: dropped; its {Services} services and {Endpoints} endpoints leave the union until it is heard from again")]
    private partial void LogDropped(string source, TimeSpan silence, int services, int endpoints);

    [LoggerMessage(1107, LogLevel.Information, "Source {Source} is heard from again (was dropped: {WasDropped})")]
    private partial void LogHeardAgain(string source, bool wasDropped);

    [LoggerMessage(1108, LogLevel.Debug, "Source {Source}: {Items} items loaded from storage in {Milliseconds} ms")]
    private partial void LogLoaded(string source, int items, long milliseconds);
}
