namespace OrleansConfig.Proxy;

/// <summary>Says which conflicts are news: each is reported once while it lasts, and again only if it ends and comes
/// back or changes.</summary>
internal sealed class ConflictTracker
{
    private HashSet<ServiceConflict> _known = [];

    /// <summary>The conflicts in <paramref name="current"/> not in the previous call's.</summary>
    public IReadOnlyList<ServiceConflict> New(IReadOnlyList<ServiceConflict> current)
    {
        var fresh = current.Where(c => !_known.Contains(c)).ToList();
        _known = [.. current];
        return fresh;
    }
}
