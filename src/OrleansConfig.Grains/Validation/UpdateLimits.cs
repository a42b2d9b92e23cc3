namespace OrleansConfig.Validation;

/// <summary>Bounds on what one update may carry, so hostile input is refused before it costs much.</summary>
public sealed class UpdateLimits
{
    public int MaxItemsPerUpdate { get; set; } = 100_000;
}
