namespace OrleansConfig.Validation;

/// <summary>
/// Refuses a <c>Set</c> that would remove more than a share of a source's items unless it is forced (the
/// self-preservation idea of service registries: an empty or truncated listing should not wipe a source).
/// Off unless a limit is set. Bound from <c>OrleansConfig:DeletionGuard</c>.
/// </summary>
public sealed class DeletionGuardOptions
{
    /// <summary>The most a Set may remove, in percent of the source's items, for every source (null: no limit).</summary>
    public int? MaxRemovePercent { get; set; }

    /// <summary>Per-source limits, by source name; these override <see cref="MaxRemovePercent"/>.</summary>
    public Dictionary<string, int> Sources { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Sources with fewer items than this are not guarded (removing 1 of 2 is not a mass deletion).</summary>
    public int MinItems { get; set; } = 10;
}
