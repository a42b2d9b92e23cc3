using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.State;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>One origin's state: validates, applies, stores, then forwards the change to the union.</summary>
internal sealed partial class SourceGrain(
    [PersistentState("source", OrleansConfigSilo.StorageName)] IPersistentState<SourceGrainState> stored,
    IOptions<UpdateLimits> limits,
    TimeProvider time,
    ILogger<SourceGrain> logger) : Grain, ISourceGrain
{
    private static readonly TimeSpan CatchUpPeriod = TimeSpan.FromSeconds(1);

    private SourceState _state = null!;
    private IGrainTimer? _catchUp;

    private string Name => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var s = stored.State;
        _state = new SourceState(Name, s.Sequence, s.Services, s.Endpoints)
        {
            ServicesRevision = s.ServicesRevision,
            EndpointsRevision = s.EndpointsRevision,
        };
        // A silo may have died between storing a change and forwarding it: make sure the union has it.
        if (_state.Sequence > 0) StartCatchUp(TimeSpan.Zero);
        return Task.CompletedTask;
    }

    public async Task<ApplyResult> Apply(SourceUpdate update)
    {
        var now = time.GetUtcNow();
        var errors = UpdateValidator.Validate(update, limits.Value);
        if (errors.Count > 0)
        {
            LogRejected(Name, errors.Count, errors[0].ToString());
            return ApplyResult.Rejected(errors);
        }

        var delta = _state.Plan(update, now);
        var revisionsBefore = (_state.ServicesRevision, _state.EndpointsRevision);
        _state.NoteRevisions(update);
        var s = stored.State;
        s.LastHeard = now;
        var bookkeepingChanged = (update.Synced && !s.Synced) ||
            revisionsBefore != (_state.ServicesRevision, _state.EndpointsRevision);
        if (delta.IsEmpty && !bookkeepingChanged)
        {
            return new ApplyResult { Accepted = true, Sequence = _state.Sequence };
        }

        if (!delta.IsEmpty)
        {
            _state.Commit(delta);
            s.LastChange = now;
        }
        s.Synced |= update.Synced;
        await Save();
        if (!delta.IsEmpty) await Forward(delta);
        return new ApplyResult { Accepted = true, Changed = !delta.IsEmpty, Sequence = _state.Sequence };
    }

    public Task<SourceSnapshot> GetSnapshot() => Task.FromResult(_state.ToSnapshot());

    public Task<SourceStatus> GetStatus()
    {
        var s = stored.State;
        return Task.FromResult(new SourceStatus
        {
            Name = Name,
            Services = _state.Services.Count,
            Endpoints = _state.Endpoints.Count,
            Sequence = _state.Sequence,
            LastChange = s.LastChange,
            LastHeard = s.LastHeard,
            Synced = s.Synced,
            LastError = s.LastError,
            LastErrorAt = s.LastErrorAt,
        });
    }

    public async Task ReportError(string? error)
    {
        var s = stored.State;
        s.LastHeard = time.GetUtcNow();
        if (s.LastError == error) return;
        s.LastError = error;
        s.LastErrorAt = error is null ? null : s.LastHeard;
        await stored.WriteStateAsync();
    }

    private async Task Save()
    {
        var s = stored.State;
        s.Sequence = _state.Sequence;
        s.ServicesRevision = _state.ServicesRevision;
        s.EndpointsRevision = _state.EndpointsRevision;
        s.Services = [.. _state.Services.Items];
        s.Endpoints = [.. _state.Endpoints.Items];
        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            // The in-memory state is ahead of storage: start again from what was stored.
            DeactivateOnIdle();
            throw;
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
            await GrainFactory.GetAggregator().CatchUp(Name, _state.Sequence);
            _catchUp?.Dispose();
            _catchUp = null;
        }
        catch (Exception ex)
        {
            LogForwardFailed(ex, Name, _state.Sequence);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: update rejected with {Count} error(s), first: {First}")]
    private partial void LogRejected(string source, int count, string first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Source {Source}: change {Sequence} is stored but not yet in the union; retrying")]
    private partial void LogForwardFailed(Exception ex, string source, long sequence);
}
