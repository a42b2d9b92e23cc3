namespace OrleansConfig.Proxy;

/// <summary>A service port's affinity: none, or <c>ClientIP</c> for <see cref="Timeout"/> since the client's last connection.</summary>
internal sealed record SessionAffinity(bool ByClientIP, TimeSpan Timeout)
{
    /// <summary>Kubernetes' default <c>sessionAffinityConfig.clientIP.timeoutSeconds</c>: three hours.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10800);

    public static readonly SessionAffinity None = new(false, TimeSpan.Zero);

    public static SessionAffinity ClientIP(TimeSpan timeout) => new(true, timeout);

    /// <summary>The affinity a Service asks for (anything but <c>ClientIP</c> is none).</summary>
    public static SessionAffinity Of(ServiceSpec spec)
    {
        if (!string.Equals(spec.SessionAffinity, "ClientIP", StringComparison.Ordinal)) return None;
        var seconds = spec.SessionAffinityConfig?.ClientIP?.TimeoutSeconds;
        return ClientIP(seconds is > 0 ? TimeSpan.FromSeconds(seconds.Value) : DefaultTimeout);
    }

    public override string ToString() => ByClientIP ? $"ClientIP({Timeout.TotalSeconds:0}s)" : "None";
}
