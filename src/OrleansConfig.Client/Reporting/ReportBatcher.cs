namespace OrleansConfig.Client.Reporting;

/// <summary>
/// The report target every subscriber of one client shares: reports handed in while a call is in flight go together in
/// the next call (the newest report of each subscriber), so a thousand subscribers of a process moving at once cost a
/// few calls, not a thousand. A removal waits for the call in flight and drops its subscriber's report not yet sent,
/// so a removed entry is not written again.
/// </summary>
internal sealed class ReportBatcher(
    Func<IReadOnlyList<SubscriberReport>, CancellationToken, Task> send,
    Func<Guid, CancellationToken, Task> remove) : ISubscriberReportTarget
{
    private readonly Lock _lock = new();
    private Dictionary<Guid, SubscriberReport> _pending = [];
    private TaskCompletionSource? _next;
    private Task _inFlight = Task.CompletedTask;
    private bool _sending;

    /// <summary>Calls made so far (tests and diagnostics).</summary>
    public int Calls { get; private set; }

    public Task ReportAsync(SubscriberReport report, CancellationToken cancellationToken)
    {
        TaskCompletionSource batch;
        lock (_lock)
        {
            _pending[report.Instance] = report;
            batch = _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_sending)
            {
                _sending = true;
                _inFlight = Task.Run(SendAsync, CancellationToken.None);
            }
        }
        return batch.Task.WaitAsync(cancellationToken);
    }

    public async Task RemoveAsync(Guid instance, CancellationToken cancellationToken)
    {
        Task inFlight;
        lock (_lock)
        {
            _pending.Remove(instance);
            inFlight = _inFlight;
        }
        // A report of this subscriber may be in the call under way: let it land first.
        await inFlight.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await remove(instance, cancellationToken).ConfigureAwait(false);
    }

    private async Task SendAsync()
    {
        while (true)
        {
            SubscriberReport[] reports;
            TaskCompletionSource batch;
            lock (_lock)
            {
                if (_pending.Count == 0)
                {
                    _sending = false;
                    _next?.TrySetResult();
                    _next = null;
                    return;
                }
                reports = [.. _pending.Values];
                _pending = [];
                batch = _next!;
                _next = null;
            }

            try
            {
                Calls++;
                // Bounded by the subscribers' own waits; this one only keeps a dead cluster from holding the loop forever.
                await send(reports, CancellationToken.None).ConfigureAwait(false);
                batch.TrySetResult();
            }
            catch (Exception exception)
            {
                batch.TrySetException(exception);
                // Observed here: a subscriber that stopped waiting must not leave an unobserved task exception behind.
                _ = batch.Task.Exception;
            }
        }
    }
}
