namespace OrleansConfig.Client;

/// <summary>
/// Which source wins when several publish the same Service: the first in the configured priority list; sources not
/// in the list come after it, alphabetically (ordinal).
/// </summary>
internal sealed class SourcePriority(IReadOnlyList<string> priority) : IComparer<string>
{
    public static readonly SourcePriority Alphabetical = new([]);

    public IReadOnlyList<string> Order { get; } = priority;

    public int Compare(string? x, string? y)
    {
        var byRank = Rank(x).CompareTo(Rank(y));
        return byRank != 0 ? byRank : string.CompareOrdinal(x, y);
    }

    private int Rank(string? source)
    {
        for (var i = 0; i < Order.Count; i++)
        {
            if (string.Equals(Order[i], source, StringComparison.Ordinal)) return i;
        }
        return int.MaxValue;
    }
}
