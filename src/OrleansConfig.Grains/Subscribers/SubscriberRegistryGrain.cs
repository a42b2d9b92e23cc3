using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Subscribers;

/// <summary>
/// Holds the subscribers' reports in memory (they report again within one interval after a move) and drops those
/// of clients that stopped reporting. Thin: <see cref="SubscriberTable"/> holds the logic.
/// </summary>
internal sealed partial class SubscriberRegistryGrain(
    IOptions<SubscriberRegistryOptions> options,
    SubscriberMetrics metrics,
    TimeProvider time,
    ILogger<SubscriberRegistryGrain> logger) : Grain, ISubscriberRegistryGrain
{
    private readonly SubscriberTable _table = new(options.Value);
    private readonly Guid _activation = Guid.NewGuid();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Expire between reports too, so the gauge drops when the last subscriber goes without anyone listing.
        var period = options.Value.ExpireAfter / 3;
        this.RegisterGrainTimer(ExpireAsync, new GrainTimerCreationOptions(period, period) { Interleave = false });
        metrics.Registry(_activation, _table.CountByKind());
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        metrics.RegistryGone(_activation);
        return Task.CompletedTask;
    }

    public Task Report(SubscriberReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var caller = SubscriberCallerFilter.Caller();
        var known = _table.Count;
        _table.Report(caller, report, time.GetUtcNow());
        metrics.Reported(report);
        if (_table.Count != known) Publish();
        return Task.CompletedTask;
    }

    public Task ReportMany(IReadOnlyList<SubscriberReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        // All or nothing, as one report is: a null anywhere refuses the batch before anything is recorded.
        for (var i = 0; i < reports.Count; i++)
        {
            if (reports[i] is null) throw new ArgumentException($"reports[{i}]: must not be null", nameof(reports));
        }
        var caller = SubscriberCallerFilter.Caller();
        var known = _table.Count;
        var now = time.GetUtcNow();
        foreach (var report in reports)
        {
            _table.Report(caller, report, now);
            metrics.Reported(report);
        }
        if (_table.Count != known) Publish();
        return Task.CompletedTask;
    }

    public Task Remove(Guid instance)
    {
        var caller = SubscriberCallerFilter.Caller();
        if (_table.Remove(caller, instance))
        {
            LogRemoved(caller, instance);
            Publish();
        }
        return Task.CompletedTask;
    }

    public async Task<IReadOnlyList<SubscriberStatus>> List()
    {
        await ExpireAsync(CancellationToken.None);
        UnionVersion? union = null;
        try
        {
            union = await GrainFactory.GetAggregator().GetVersion();
        }
        catch (Exception ex)
        {
            // The list is still worth having; the lag in versions is then unknown (null), not guessed.
            LogUnionUnknown(ex.Message);
        }
        return _table.List(union);
    }

    private Task ExpireAsync(CancellationToken cancellationToken)
    {
        var expired = _table.Expire(time.GetUtcNow());
        if (expired > 0)
        {
            LogExpired(expired);
            Publish();
        }
        return Task.CompletedTask;
    }

    private void Publish() => metrics.Registry(_activation, _table.CountByKind());

    [LoggerMessage(1601, LogLevel.Debug, "Subscriber {Instance} of {Caller} unsubscribed")]
    private partial void LogRemoved(string caller, Guid instance);

    [LoggerMessage(1602, LogLevel.Information, "{Count} subscriber(s) stopped reporting; dropped")]
    private partial void LogExpired(int count);

    [LoggerMessage(1603, LogLevel.Debug, "Listing subscribers without the union's version: {Reason}")]
    private partial void LogUnionUnknown(string reason);
}
