namespace OrleansConfig.Reporting;

/// <summary>Which sources <c>sources</c> lists, and their status: every source the union has heard from, plus any named.</summary>
internal static class SourceStatuses
{
    public static async Task<IReadOnlyList<SourceStatus>> GetAsync(IGrainFactory grains, IEnumerable<string> alsoNamed,
        CancellationToken cancellationToken)
    {
        var known = await grains.GetAggregator().GetSources().WaitAsync(cancellationToken);
        var all = known.Concat(alsoNamed).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return await Task.WhenAll(all.Select(n => grains.GetSource(n).GetStatus())).WaitAsync(cancellationToken);
    }
}
