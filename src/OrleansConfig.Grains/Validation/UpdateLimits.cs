namespace OrleansConfig.Validation;

/// <summary>Bounds on what one update may carry, so hostile input is refused before it costs much.</summary>
public sealed class UpdateLimits
{
    /// <summary>The most items (Services and Endpoints together) one update may carry.</summary>
    public int MaxItemsPerUpdate { get; set; } = 100_000;
}
