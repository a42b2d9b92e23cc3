namespace OrleansConfig;

/// <summary>One configuration source's state (key: the source's name).</summary>
[Alias("OrleansConfig.ISourceGrain")]
public interface ISourceGrain : IGrainWithStringKey
{
    /// <summary>Validates the whole update, applies it, stores it, then forwards the change to the union.</summary>
    [Alias("Apply")]
    Task<ApplyResult> Apply(SourceUpdate update);

    /// <summary>This source's whole state.</summary>
    [Alias("GetSnapshot"), AlwaysInterleave]
    Task<SourceSnapshot> GetSnapshot();

    /// <summary>This source's counts, last change, last error and whether its initial list is complete.</summary>
    [Alias("GetStatus"), AlwaysInterleave]
    Task<SourceStatus> GetStatus();

    /// <summary>
    /// Says the source is alive without changing anything: a source adapter calls it while its watch is healthy, so a
    /// quiet origin is not taken for a dead one. A dropped source comes back into the union.
    /// </summary>
    [Alias("Heartbeat")]
    Task Heartbeat();

    /// <summary>Records a problem its adapter has (or null once it is resolved), shown by <c>sources</c>.</summary>
    [Alias("ReportError")]
    Task ReportError(string? message);

    /// <summary>Records what its adapter warns of, such as unknown fields in its input (or null once there is none),
    /// shown by <c>sources</c>.</summary>
    [Alias("ReportWarning")]
    Task ReportWarning(string? warning);

    /// <summary>Deletes the source's stored state; its next update starts a new history. Called by
    /// <see cref="IAggregatorGrain.RemoveSource"/>.</summary>
    [Alias("Clear")]
    Task Clear();
}
