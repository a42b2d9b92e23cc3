using Microsoft.Extensions.Options;

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

    /// <summary>
    /// Most change events kept for a status page that is behind; a page further behind is sent a fresh snapshot
    /// instead of its backlog, so a slow page costs the silo a bounded amount of memory.
    /// </summary>
    public int MaxQueuedChanges { get; set; } = 1000;
}

/// <summary>Checks <see cref="SiloHttpOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class SiloHttpOptionsValidator : IValidateOptions<SiloHttpOptions>
{
    private const int MaxEventStreamClients = 10_000;
    private const int MaxQueuedChanges = 100_000;

    public ValidateOptionsResult Validate(string? name, SiloHttpOptions options)
    {
        List<string> failures = [];
        Between(nameof(SiloHttpOptions.SourcesRefresh), options.SourcesRefresh, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1), failures);
        Between(nameof(SiloHttpOptions.KeepAlive), options.KeepAlive, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), failures);
        Between(nameof(SiloHttpOptions.RequestTimeout), options.RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), failures);
        Between(nameof(SiloHttpOptions.MinPushInterval), options.MinPushInterval, TimeSpan.Zero, TimeSpan.FromMinutes(1), failures);
        if (options.MaxEventStreamClients is < 1 or > MaxEventStreamClients)
        {
            failures.Add($"{SiloHttpOptions.SectionName}:{nameof(SiloHttpOptions.MaxEventStreamClients)}: must be between 1 and {MaxEventStreamClients}, got {options.MaxEventStreamClients}");
        }
        if (options.MaxQueuedChanges is < 1 or > MaxQueuedChanges)
        {
            failures.Add($"{SiloHttpOptions.SectionName}:{nameof(SiloHttpOptions.MaxQueuedChanges)}: " +
                $"must be between 1 and {MaxQueuedChanges}, got {options.MaxQueuedChanges}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Between(string key, TimeSpan value, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (value < min || value > max) failures.Add($"{SiloHttpOptions.SectionName}:{key}: must be between {min} and {max}, got {value}");
    }
}
