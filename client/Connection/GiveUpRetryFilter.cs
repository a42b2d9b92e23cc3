namespace OrleansConfig.Cli.Connection;

/// <summary>Retries connecting to the gateways for a short while, then gives up so the CLI can say so.</summary>
internal sealed class GiveUpRetryFilter(TimeSpan budget, TimeSpan pause) : IClientConnectionRetryFilter
{
    private readonly DateTime _deadline = DateTime.UtcNow + budget;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (DateTime.UtcNow + pause >= _deadline) return false;
        await Task.Delay(pause, cancellationToken);
        return true;
    }
}
