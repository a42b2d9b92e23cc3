namespace OrleansConfig.Diagnostics;

/// <summary>
/// Histogram buckets (seconds) for propagation: milliseconds when healthy, seconds when something is wrong.
/// OpenTelemetry's default buckets are meant for milliseconds and would put every healthy change in the first one.
/// </summary>
internal static class LatencyBuckets
{
    public static readonly IReadOnlyList<double> Seconds =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
}
