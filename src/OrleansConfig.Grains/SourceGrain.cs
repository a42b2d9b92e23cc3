using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using OrleansConfig.Diagnostics;
using OrleansConfig.Persistence;
using OrleansConfig.State;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>One origin's state: validates, applies, stores, then forwards the change to the union.</summary>
internal sealed partial class SourceGrain(
    IOptions<UpdateLimits> limits,
    IOptions<JournalOptions> journalOptions,
    IOptions<DeletionGuardOptions> deletionGuard,
    IOptions<ValidationOptions> validation,
    TimeProvider time,
    OrleansConfigMetrics metrics,
    ILogger<SourceGrain> logger) : Grain, ISourceGrain
{
    private static readonly TimeSpan CatchUpPeriod = TimeSpan.FromSeconds(1);

    private SourceJournal _journal = null!;
    private SourceState _state = null!;
    private SourceBookkeeping _book = new();
    private IGrainTimer? _catchUp;

    private string Name => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var storage = ServiceProvider.GetRequiredKeyedService<IGrainStorage>(OrleansConfigSilo.StorageName);
        _journal = new SourceJournal(storage, this.GetGrainId(), Name, journalOptions.Value);
        (_state, _book) = await _journal.Load(cancellationToken);
        if (_book.Incarnation == Guid.Empty)
        {
            // Nothing stored yet (or storage was lost): this is a new history of the source.
            _book = _book with { Incarnation = Guid.NewGuid() };
            _state.Incarnation = _book.Incarnation;
        }
        // A silo may have died between storing a change and forwarding it: make sure the union has it.
        if (_state.Sequence > 0) StartCatchUp(TimeSpan.Zero);
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

        var delta = _state.Plan(update, now);
        if (DeletionGuard.Check(Name, update, delta, _state.Services.Count + _state.Endpoints.Count, deletionGuard.Value) is { } refused)
        {
            LogRejected(Name, 1, refused.ToString());
            metrics.UpdateRejected(Name, update, "deletion_guard");
            return ApplyResult.Rejected([refused]);
        }
        var (servicesRevision, endpointsRevision) = _state.RevisionsAfter(update);
        var book = _book with
        {
            LastHeard = now,
            Synced = _book.Synced || update.Synced,
            LastChange = delta.IsEmpty ? _book.LastChange : now,
            ServicesRevision = servicesRevision,
            EndpointsRevision = endpointsRevision,
        };
        if (delta.IsEmpty && book with { LastHeard = _book.LastHeard } == _book)
        {
            _book = book;
            metrics.UpdateApplied(Name, update);
            return new ApplyResult { Accepted = true, Sequence = _state.Sequence };
        }

        await Store(delta, book);
        metrics.UpdateApplied(Name, update);
        if (!delta.IsEmpty) await Forward(delta);
        return new ApplyResult { Accepted = true, Changed = !delta.IsEmpty, Sequence = _state.Sequence };
    }

    public Task<SourceSnapshot> GetSnapshot() => Task.FromResult(_state.ToSnapshot());

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
    });

    public async Task ReportError(string? error)
    {
        if (SourceName.Check(Name) is { } badName) throw new ArgumentException($"source: {badName}");
        var now = time.GetUtcNow();
        if (_book.LastError == error)
        {
            _book = _book with { LastHeard = now };
            return;
        }
        var empty = new SourceDelta { Source = Name, Sequence = _state.Sequence, PreviousSequence = _state.Sequence };
        await Store(empty, _book with { LastHeard = now, LastError = error, LastErrorAt = error is null ? null : now });
    }

    public async Task ReportWarning(string? warning)
    {
        if (_book.LastWarning == warning) return;
        var empty = new SourceDelta { Source = Name, Sequence = _state.Sequence, PreviousSequence = _state.Sequence };
        await Store(empty, _book with { LastWarning = warning });
    }

    public async Task Clear()
    {
        await _journal.Clear();
        _catchUp?.Dispose();
        _catchUp = null;
        // Start afresh on the next call: a new history, with a new incarnation.
        DeactivateOnIdle();
    }

    /// <summary>Journals the change, and only then makes it visible.</summary>
    private async Task Store(SourceDelta delta, SourceBookkeeping book)
    {
        try
        {
            if (!delta.IsEmpty && _journal.SnapshotInstead(delta.Size, _state.Services.Count + _state.Endpoints.Count))
            {
                var (services, endpoints) = _state.Project(delta);
                await _journal.Compact(services, endpoints, delta.Sequence, book);
            }
            else
            {
                await _journal.Append(delta, book);
            }
        }
        catch
        {
            // Whether the write landed is unknown: start again from what storage holds.
            DeactivateOnIdle();
            throw;
        }
        if (!delta.IsEmpty) _state.Commit(delta);
        _state.ServicesRevision = book.ServicesRevision;
        _state.EndpointsRevision = book.EndpointsRevision;
        _book = book;
        if (_journal.CompactionDue(_state.Services.Count + _state.Endpoints.Count))
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
            await GrainFactory.GetAggregator().CatchUp(Name, _state.Incarnation, _state.Sequence);
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
}
