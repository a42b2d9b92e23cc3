using OrleansConfig.Diagnostics;
using OrleansConfig.State;
using OrleansConfig.Tests.Client;
using Xunit;

namespace OrleansConfig.Tests.Diagnostics;

public sealed class SourceLivenessMetricsTests : IDisposable
{
    private readonly MetricRecorder _recorder = new();
    private readonly ManualTimeProvider _time = new();
    private readonly SourceLivenessMetrics _metrics;

    public SourceLivenessMetricsTests() => _metrics = new SourceLivenessMetrics(_recorder.Factory, _time);

    public void Dispose() => _recorder.Dispose();

    private static SourceLiveness Lifetime(int staleSeconds, int? dropSeconds = null) => new(new SourceLifetime
    {
        StaleAfter = TimeSpan.FromSeconds(staleSeconds),
        DropAfter = dropSeconds is { } drop ? TimeSpan.FromSeconds(drop) : null,
    });

    private string[] Of(string instrument) => [.. _recorder.Of(instrument).Select(r => $"{r.Labels}:{r.Value}").Order(StringComparer.Ordinal)];

    [Fact]
    public void Each_tracked_source_reports_stale_dropped_and_seconds_of_silence_when_scraped()
    {
        var etcd = _metrics.Track("etcd", Lifetime(30, 60), _time.GetUtcNow());
        _metrics.Track("file", Lifetime(30), _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(45));
        etcd.HeardAt = _time.GetUtcNow() - TimeSpan.FromSeconds(5);

        Assert.Equal(["source=etcd:0", "source=file:1"], Of(OrleansConfigMeter.SourceStale));
        Assert.Equal(["source=etcd:0", "source=file:0"], Of(OrleansConfigMeter.SourceDropped));
        Assert.Equal(["source=etcd:5", "source=file:45"], Of(OrleansConfigMeter.SourceSilence));

        etcd.Dropped = true;
        Assert.Equal(["source=etcd:1", "source=file:1"], Of(OrleansConfigMeter.SourceStale));
        Assert.Equal(["source=etcd:1", "source=file:0"], Of(OrleansConfigMeter.SourceDropped));
    }

    [Fact]
    public void A_source_whose_grain_left_is_no_longer_reported_unless_a_newer_activation_took_over()
    {
        var old = _metrics.Track("etcd", Lifetime(30), _time.GetUtcNow());
        var file = _metrics.Track("file", Lifetime(30), _time.GetUtcNow());
        _metrics.Track("etcd", Lifetime(30), _time.GetUtcNow());

        _metrics.Untrack(old);
        _metrics.Untrack(file);

        Assert.Equal(["source=etcd:0"], Of(OrleansConfigMeter.SourceStale));
    }
}
