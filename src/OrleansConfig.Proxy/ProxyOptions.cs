using System.Net;

namespace OrleansConfig.Proxy;

/// <summary>How the proxy listens and chooses: the <c>proxy</c> command's options.</summary>
internal sealed class ProxyOptions
{
    /// <summary>The address every listener binds to.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Loopback;

    /// <summary>Only Services of this namespace (null: all).</summary>
    public string? Namespace { get; init; }

    /// <summary>Sources in the order they win a conflict; sources not listed come after, alphabetically.</summary>
    public IReadOnlyList<string> Priority { get; init; } = [];

    /// <summary>How long one backend has to accept a connection before the next one is tried.</summary>
    public TimeSpan ConnectTimeout { get; init => field = Positive(value); } = TimeSpan.FromSeconds(3);

    /// <summary>How often a port that could not be listened on is tried again (as well as on every change).</summary>
    public TimeSpan RetryInterval { get; init => field = Positive(value); } = TimeSpan.FromSeconds(5);

    /// <summary>The most connections one listener (one service port) carries at once; more are reset at once.</summary>
    public int MaxConnectionsPerListener { get; init => field = AtLeastOne(value); } = 1_000;

    /// <summary>The most connections the whole proxy carries at once; more are reset at once.</summary>
    public int MaxConnections { get; init => field = AtLeastOne(value); } = 10_000;

    /// <summary>A forwarded connection with no bytes either way for this long is closed.</summary>
    public TimeSpan IdleTimeout
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxIdleTimeout);
            field = Positive(value);
        }
    } = TimeSpan.FromHours(1);

    /// <summary>The longest idle timeout a timer can keep (24 days).</summary>
    public static readonly TimeSpan MaxIdleTimeout = TimeSpan.FromDays(24);

    /// <summary>Per-connection warnings: at most one of each kind per listener per this interval (the next says how
    /// many were held back).</summary>
    public TimeSpan WarningInterval { get; init => field = Positive(value); } = TimeSpan.FromSeconds(10);

    private static int AtLeastOne(int value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        return value;
    }

    private static TimeSpan Positive(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
        return value;
    }
}
