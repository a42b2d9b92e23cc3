using System.Collections.Concurrent;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig.Tests.Subscribers;

/// <summary>A registry stand-in that keeps every report and removal; it can hang or fail on reports.</summary>
internal sealed class RecordingTarget : ISubscriberReportTarget
{
    public ConcurrentQueue<SubscriberReport> Reports { get; } = new();

    public ConcurrentQueue<Guid> Removed { get; } = new();

    public bool Hang { get; init; }

    public bool Fail { get; init; }

    /// <summary>The newest report, once one came.</summary>
    public SubscriberReport? Last => Reports.LastOrDefault();

    /// <summary>Waits for a report that <paramref name="done"/> accepts and returns it.</summary>
    public async Task<SubscriberReport> Until(Func<SubscriberReport, bool> done, string what)
    {
        SubscriberReport? found = null;
        await Eventually.Until(() => (found = Last) is { } last && done(last), $"a report with {what}; last: {Last}");
        return found!;
    }

    public Task ReportAsync(SubscriberReport report, CancellationToken cancellationToken)
    {
        Reports.Enqueue(report);
        if (Fail) return Task.FromException(new InvalidOperationException("registry unreachable"));
        return Hang ? new TaskCompletionSource().Task : Task.CompletedTask;
    }

    public Task RemoveAsync(Guid instance, CancellationToken cancellationToken)
    {
        Removed.Enqueue(instance);
        return Task.CompletedTask;
    }
}
