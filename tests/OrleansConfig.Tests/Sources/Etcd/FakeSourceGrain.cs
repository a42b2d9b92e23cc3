using OrleansConfig.State;

namespace OrleansConfig.Tests.Sources.Etcd;

/// <summary>A SourceGrain without a cluster: the grain's own state logic (revision high-water marks included).</summary>
internal sealed class FakeSourceGrain : ISourceGrain
{
    private readonly Lock _gate = new();
    private readonly SourceState _state = new("etcd");
    private readonly List<SourceUpdate> _applied = [];
    private FieldError? _refuseWith;

    public bool Synced { get; private set; }

    public string? LastError { get; private set; }

    public int ErrorsReported { get; private set; }

    public string? LastWarning { get; private set; }

    /// <summary>While set, Apply throws as a call to an unreachable grain would.</summary>
    public bool Unreachable { get; set; }

    /// <summary>While set, Apply refuses every update with this error, as the grain does one over its limits.</summary>
    public FieldError? RefuseWith
    {
        get => Volatile.Read(ref _refuseWith);
        set => Volatile.Write(ref _refuseWith, value);
    }

    public IReadOnlyList<SourceUpdate> Applied
    {
        get
        {
            lock (_gate) return [.. _applied];
        }
    }

    public string[] Services
    {
        get
        {
            lock (_gate) return [
                .. _state.Services.Items.Select(s => $"{s.Key()}:{(s.Spec.Ports is [var first, ..] ? first.Port : (int?)null)}")
                .Order(StringComparer.Ordinal)];
        }
    }

    public string[] Endpoints
    {
        get
        {
            lock (_gate) return [.. _state.Endpoints.Items.Select(e => e.Key().ToString()).Order(StringComparer.Ordinal)];
        }
    }

    public Task<ApplyResult> Apply(SourceUpdate update)
    {
        if (Unreachable) throw new TimeoutException("grain unreachable");
        if (RefuseWith is { } error) return Task.FromResult(ApplyResult.Rejected([error]));
        lock (_gate)
        {
            _applied.Add(update);
            var delta = _state.Plan(update, DateTimeOffset.UtcNow, out var slices);
            _state.NoteRevisions(update);
            _state.Commit(delta, slices);
            Synced |= update.Synced;
            return Task.FromResult(new ApplyResult { Accepted = true, Changed = !delta.IsEmpty, Sequence = _state.Sequence });
        }
    }

    public Task<SourceSnapshot> GetSnapshot()
    {
        lock (_gate) return Task.FromResult(_state.ToSnapshot());
    }

    public Task<SourceStatus> GetStatus() => throw new NotSupportedException();

    public Task ReportError(string? error)
    {
        lock (_gate)
        {
            LastError = error;
            if (error is not null) ErrorsReported++;
        }
        return Task.CompletedTask;
    }

    /// <summary>How many heartbeats the adapter sent.</summary>
    public int Heartbeats
    {
        get
        {
            lock (_gate) return _heartbeats;
        }
    }

    private int _heartbeats;

    public Task Heartbeat()
    {
        lock (_gate) _heartbeats++;
        return Task.CompletedTask;
    }

    public Task ReportWarning(string? warning)
    {
        lock (_gate) LastWarning = warning;
        return Task.CompletedTask;
    }

    public Task Clear() => throw new NotSupportedException("the etcd source never clears its grain");
}
