namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>
/// Latencies counted in 50 us buckets up to 1 s, then 10 ms buckets up to 120 s (longer ones kept exactly): millions of
/// samples in fixed memory, and cheap enough for a handler to record every delivery. Fixed memory matters: a list of the
/// slow samples grew with every late delivery, and its garbage slowed the very process it measured.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double FineMs = 0.05, CoarseMs = 10, FineLimitMs = 1_000, CoarseLimitMs = 120_000;
    private const int FineBuckets = (int)(FineLimitMs / FineMs), CoarseBuckets = (int)((CoarseLimitMs - FineLimitMs) / CoarseMs);

    private readonly long[] _buckets = new long[FineBuckets + CoarseBuckets];
    private readonly List<double> _beyond = [];

    public long Count { get; private set; }

    public void Record(double milliseconds)
    {
        Count++;
        if (milliseconds < FineLimitMs)
        {
            _buckets[Math.Max(0, (int)(milliseconds / FineMs))]++;
        }
        else if (milliseconds < CoarseLimitMs)
        {
            _buckets[FineBuckets + (int)((milliseconds - FineLimitMs) / CoarseMs)]++;
        }
        else
        {
            _beyond.Add(milliseconds);
        }
    }

    /// <summary>
    /// The <paramref name="p"/>-th percentile (0–100) by nearest rank over every histogram given: the upper edge of its
    /// bucket (to 50 us below 1 s, to 10 ms above).
    /// </summary>
    public static double Percentile(IReadOnlyCollection<LatencyHistogram> histograms, double p)
    {
        var total = histograms.Sum(h => h.Count);
        if (total == 0) return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100 * total));
        long seen = 0;
        for (var b = 0; b < FineBuckets + CoarseBuckets; b++)
        {
            foreach (var h in histograms) seen += h._buckets[b];
            if (seen >= rank) return b < FineBuckets ? (b + 1) * FineMs : FineLimitMs + ((b - FineBuckets + 1) * CoarseMs);
        }
        var beyond = histograms.SelectMany(h => h._beyond).Order().ToArray();
        return beyond[(int)Math.Min(beyond.Length - 1, rank - seen - 1)];
    }
}
