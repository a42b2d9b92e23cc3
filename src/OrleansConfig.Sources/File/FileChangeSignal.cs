using System.Threading.Channels;

namespace OrleansConfig.Sources.File;

/// <summary>Collects change notifications and lets one reader wait for them, debounced.</summary>
internal sealed class FileChangeSignal(TimeSpan debounce)
{
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>How long a burst of changes may postpone the read, at most.</summary>
    public TimeSpan MaxDelay => debounce * 10;

    public void Notify() => _changes.Writer.TryWrite(true);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a change, then until changes have been quiet for the
    /// debounce period (at most <see cref="MaxDelay"/>). True when a change came, false on timeout.
    /// </summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await WaitOneAsync(timeout, cancellationToken)) return false;
        var deadline = DateTime.UtcNow + MaxDelay;
        while (DateTime.UtcNow < deadline && await WaitOneAsync(debounce, cancellationToken))
        {
        }
        return true;
    }

    private async Task<bool> WaitOneAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_changes.Reader.TryRead(out _)) return true;
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await _changes.Reader.WaitToReadAsync(timeoutSource.Token);
            return _changes.Reader.TryRead(out _);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
