namespace OrleansConfig.State;

/// <summary>
/// The staleness rule of one source: from when it was last heard from, whether it is stale, whether its items should
/// be out of the union, and when either next changes (so a timer fires once per deadline, not once per change).
/// </summary>
internal sealed class SourceLiveness(SourceLifetime lifetime)
{
    public SourceLifetime Lifetime { get; } = lifetime;

    /// <summary>True when there is anything to watch for.</summary>
    public bool Enabled => Lifetime.StaleAfter is not null || Lifetime.DropAfter is not null;

    /// <summary>Silent for its StaleAfter, or for its DropAfter (a dropped source is stale too).</summary>
    public bool IsStale(DateTimeOffset heardAt, DateTimeOffset now) =>
        Reached(Lifetime.StaleAfter, heardAt, now) || ShouldDrop(heardAt, now);

    public bool ShouldDrop(DateTimeOffset heardAt, DateTimeOffset now) => Reached(Lifetime.DropAfter, heardAt, now);

    /// <summary>The next moment after <paramref name="now"/> at which the source turns stale or is dropped; null when none is left.</summary>
    public DateTimeOffset? NextDeadline(DateTimeOffset heardAt, DateTimeOffset now)
    {
        DateTimeOffset? next = null;
        foreach (var after in (ReadOnlySpan<TimeSpan?>)[Lifetime.StaleAfter, Lifetime.DropAfter])
        {
            if (after is not { } span) continue;
            var at = heardAt + span;
            if (at > now && (next is null || at < next)) next = at;
        }
        return next;
    }

    private static bool Reached(TimeSpan? after, DateTimeOffset heardAt, DateTimeOffset now) => after is { } span && now - heardAt >= span;
}
