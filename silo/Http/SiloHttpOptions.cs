namespace OrleansConfig.Silo.Http;

/// <summary>Tuning of the silo's HTTP side (<c>OrleansConfig:Http</c>), used only when it serves HTTP.</summary>
internal sealed class SiloHttpOptions
{
    public const string SectionName = "OrleansConfig:Http";

    /// <summary>How often the sources' status is read again while a status page is open.</summary>
    public TimeSpan SourcesRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long an event stream may stay silent before a keep-alive comment (proxies drop idle connections).</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long <c>/readyz</c> and <c>/api/*</c> wait for the cluster before answering 503.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Least time between two pushes of one kind to the status page, so a burst of changes costs one render.</summary>
    public TimeSpan MinPushInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Most event streams open at once; each holds a connection and a task, so many pages cannot exhaust the silo.</summary>
    public int MaxEventStreamClients { get; set; } = 100;
}
