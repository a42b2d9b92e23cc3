namespace OrleansConfig;

/// <summary>How a <see cref="ServiceCatalog"/> chooses between sources and calls its handlers.</summary>
public sealed class ServiceCatalogOptions
{
    /// <summary>
    /// Sources in the order they win when several publish the same Service; sources not listed come after,
    /// alphabetically (ordinal).
    /// </summary>
    public IReadOnlyList<string> SourcePriority { get; init; } = [];

    /// <summary>
    /// How the catalog follows the union, paces its handlers and reports itself (<c>MinInterval</c>, <c>ProbeInterval</c>,
    /// retry delays, <c>DisposeTimeout</c>, <c>ReportInterval</c>).
    /// </summary>
    public ConfigClientOptions Client { get; init; } = new();

    /// <summary>How long after a handler throws it is called again with the same keys (and any that changed since).</summary>
    public TimeSpan RetryInterval
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromSeconds(1);
}
