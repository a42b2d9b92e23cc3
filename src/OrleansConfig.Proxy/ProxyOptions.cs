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

    private static TimeSpan Positive(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
        return value;
    }
}
