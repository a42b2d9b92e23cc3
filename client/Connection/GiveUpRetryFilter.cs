namespace OrleansConfig.Cli.Connection;

/// <summary>Retries connecting to the gateways for a short while, then gives up so the CLI can say so.</summary>
internal sealed class GiveUpRetryFilter(TimeSpan budget, TimeSpan pause) : IClientConnectionRetryFilter
{
    private readonly DateTime _deadline = DateTime.UtcNow + budget;

    private readonly List<Exception> _failures = [];

    /// <summary>Each attempt's failure (the first few): Orleans' final error only says that no gateway could be reached.</summary>
    public IReadOnlyList<Exception> Failures
    {
        get { lock (_failures) return [.. _failures]; }
    }

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        lock (_failures)
        {
            if (_failures.Count < 16) _failures.Add(exception);
        }
        if (DateTime.UtcNow + pause >= _deadline) return false;
        await Task.Delay(pause, cancellationToken);
        return true;
    }
}
