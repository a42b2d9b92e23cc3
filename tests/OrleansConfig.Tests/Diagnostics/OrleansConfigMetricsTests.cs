using OrleansConfig.Diagnostics;
using Xunit;

namespace OrleansConfig.Tests.Diagnostics;

public sealed class OrleansConfigMetricsTests : IDisposable
{
    private readonly MetricRecorder _recorder = new();
    private readonly ManualTimeProvider _time = new();
    private readonly OrleansConfigMetrics _metrics;

    public OrleansConfigMetricsTests() => _metrics = new OrleansConfigMetrics(_recorder.Factory, _time);

    public void Dispose() => _recorder.Dispose();

    private static SourceUpdate Both(Operation services, Operation endpoints) => new()
    {
        Services = new ServiceUpdate(services, []),
        Endpoints = new EndpointsUpdate(endpoints, []),
    };

    [Fact]
    public void An_applied_update_counts_once_per_kind_it_carries_with_source_and_operation()
    {
        _metrics.UpdateApplied("etcd", Both(Operation.Set, Operation.Add));
        _metrics.UpdateApplied("manual", new ServiceUpdate(Operation.Remove, []));

        var applied = _recorder.Of(OrleansConfigMeter.UpdatesApplied);
        Assert.Equal(
            ["kind=services,operation=set,source=etcd", "kind=endpoints,operation=add,source=etcd",
                "kind=services,operation=remove,source=manual"],
            applied.Select(r => r.Labels));
        Assert.All(applied, r => Assert.Equal(1, r.Value));
        Assert.Empty(_recorder.Of(OrleansConfigMeter.UpdatesRejected));
    }

    [Fact]
    public void A_refused_update_counts_with_its_reason()
    {
        _metrics.UpdateRejected("file", new EndpointsUpdate(Operation.Set, []), "deletion_guard");

        var rejected = Assert.Single(_recorder.Of(OrleansConfigMeter.UpdatesRejected));
        Assert.Equal("kind=endpoints,operation=set,reason=deletion_guard,source=file", rejected.Labels);
        Assert.Empty(_recorder.Of(OrleansConfigMeter.UpdatesApplied));
    }

    [Fact]
    public void The_union_is_reported_only_by_the_silo_that_holds_the_aggregator()
    {
        var epoch = Guid.NewGuid();
        Assert.Empty(_recorder.Of(OrleansConfigMeter.UnionSize));

        _metrics.Union(new UnionVersion(epoch, 7), services: 5, endpoints: 4);
        Assert.Equal(["kind=services:5", "kind=endpoints:4"],
            _recorder.Of(OrleansConfigMeter.UnionSize).Select(r => $"{r.Labels}:{r.Value}"));
        Assert.Equal(7, Assert.Single(_recorder.Of(OrleansConfigMeter.UnionVersion)).Value);

        // An older activation's deactivation does not silence the newer one.
        _metrics.UnionGone(Guid.NewGuid());
        Assert.Equal(7, Assert.Single(_recorder.Of(OrleansConfigMeter.UnionVersion)).Value);

        _metrics.UnionGone(epoch);
        Assert.Empty(_recorder.Of(OrleansConfigMeter.UnionSize));
        Assert.Empty(_recorder.Of(OrleansConfigMeter.UnionVersion));
    }

    [Fact]
    public void Publishing_records_the_time_since_the_source_grain_accepted_the_change_and_the_new_size()
    {
        var epoch = Guid.NewGuid();
        var accepted = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromMilliseconds(40));

        _metrics.Published(new UnionDelta(new UnionVersion(epoch, 3), new SourceDelta { Source = "etcd", ChangedAt = accepted }),
            services: 2, endpoints: 1);

        var latency = Assert.Single(_recorder.Of(OrleansConfigMeter.PropagationDuration));
        Assert.Equal("stage=publish", latency.Labels);
        Assert.Equal(0.040, latency.Value, precision: 6);
        Assert.Equal(3, Assert.Single(_recorder.Of(OrleansConfigMeter.UnionVersion)).Value);
    }

    [Fact]
    public void A_change_stamped_by_a_clock_ahead_of_ours_counts_as_immediate()
    {
        var ahead = _time.GetUtcNow() + TimeSpan.FromSeconds(2);

        _metrics.Published(new UnionDelta(new UnionVersion(Guid.NewGuid(), 1), new SourceDelta { Source = "etcd", ChangedAt = ahead }), 0,
            0);

        Assert.Equal(0, Assert.Single(_recorder.Of(OrleansConfigMeter.PropagationDuration)).Value);
    }
}
