namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>
/// Latencies counted in 50 us buckets up to 1 s (longer ones kept exactly): millions of samples in fixed memory, and
/// cheap enough for a handler to record every delivery.
/// </summary>
internal sealed class LatencyHistogram
{
    private const double BucketMs = 0.05;
    private readonly long[] _buckets = new long[20_000];
    private readonly List<double> _beyond = [];

    public long Count { get; private set; }

    public void Record(double milliseconds)
    {
        Count++;
        var bucket = (int)(milliseconds / BucketMs);
        if (bucket < 0) bucket = 0;
        if (bucket < _buckets.Length) _buckets[bucket]++;
        else _beyond.Add(milliseconds);
    }

    /// <summary>The <paramref name="p"/>-th percentile (0–100) by nearest rank over every histogram given, to 50 us.</summary>
    public static double Percentile(IReadOnlyCollection<LatencyHistogram> histograms, double p)
    {
        var total = histograms.Sum(h => h.Count);
        if (total == 0) return double.NaN;
        var rank = Math.Max(1, (long)Math.Ceiling(p / 100 * total));
        long seen = 0;
        var length = histograms.First()._buckets.Length;
        for (var b = 0; b < length; b++)
        {
            foreach (var h in histograms) seen += h._buckets[b];
            if (seen >= rank) return (b + 1) * BucketMs;
        }
        var beyond = histograms.SelectMany(h => h._beyond).Order().ToArray();
        return beyond[(int)Math.Min(beyond.Length - 1, rank - seen - 1)];
    }
}
