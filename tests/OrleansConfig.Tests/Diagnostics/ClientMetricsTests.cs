using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client;
using OrleansConfig.Client.Diagnostics;
using OrleansConfig.Diagnostics;
using OrleansConfig.Tests.Client;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Diagnostics;

public sealed class ClientMetricsTests : IDisposable
{
    private readonly MetricRecorder _recorder = new();

    public void Dispose() => _recorder.Dispose();

    private static readonly ConfigClientOptions Options = new()
    {
        ProbeInterval = TimeSpan.Zero,
        SnapshotRetryDelay = TimeSpan.FromMilliseconds(1),
    };

    [Fact]
    public async Task A_subscriber_counts_its_resyncs_by_kind_and_reason_but_not_its_first_snapshot()
    {
        var aggregator = new FakeAggregator();
        var sink = new RecordingSink();
        await using var subscription = new UnionSubscription(
            aggregator, sink, Options, TimeProvider.System, NullLogger<UnionSubscription>.Instance,
                ClientMetrics.Create(_recorder.Factory, "services"));
        subscription.Start();
        await Eventually.Until(() => sink.Saw("snapshot 0"), "the first snapshot");
        Assert.Empty(_recorder.Of(OrleansConfigMeter.SubscriberResyncs));

        // A lost delta: the next one shows the gap.
        aggregator.Publish("etcd", [Versioned("default", "a")], deliver: false);
        aggregator.Publish("etcd", [Versioned("default", "b")]);
        await Eventually.Until(() => subscription.ResyncCount == 1, "the resync after the gap");
        aggregator.Reactivate();
        aggregator.Publish("etcd", [Versioned("default", "c")]);
        await Eventually.Until(() => _recorder.Of(OrleansConfigMeter.SubscriberResyncs).Count == 2, "the resync after the new epoch");

        Assert.Equal(["kind=services,reason=gap", "kind=services,reason=epoch_changed"],
            _recorder.Of(OrleansConfigMeter.SubscriberResyncs).Select(r => r.Labels));
    }

    [Fact]
    public async Task A_view_records_propagation_when_it_applies_a_change_handlers_can_see()
    {
        var aggregator = new FakeAggregator();
        var time = new ManualTimeProvider();
        await using var core =
            new ConfigClientCore<Service, ServiceUpdate>(aggregator, ConfigKind.Services, Options, null, time, _recorder.Factory);
        await core.WaitForSyncAsync(CancellationToken.None).Within();

        var accepted = time.GetUtcNow() - TimeSpan.FromMilliseconds(25);
        var delta = aggregator.Publish("etcd", [Versioned("default", "a")], deliver: false);
        aggregator.Deliver(delta with { Change = delta.Change with { ChangedAt = accepted } });
        await Eventually.Until(() => _recorder.Of(OrleansConfigMeter.PropagationDuration).Count == 1, "the delta in the view");
        // An endpoints-only change does not change a Services view: nothing to record.
        var other = aggregator.Publish("etcd", endpoints: [VersionedEndpoints("default", "a")], deliver: false);
        aggregator.Deliver(other with { Change = other.Change with { ChangedAt = accepted } });
        await Eventually.Until(() => core.Version == other.Version, "the second delta in the view");

        var latency = Assert.Single(_recorder.Of(OrleansConfigMeter.PropagationDuration));
        Assert.Equal("kind=services,stage=view", latency.Labels);
        Assert.Equal(0.025, latency.Value, precision: 6);
    }

    [Fact]
    public void Every_resync_reason_has_a_metric_name()
    {
        Assert.All(Enum.GetValues<ResyncReason>(), reason => Assert.NotEqual("unknown", ClientMetrics.ReasonName(reason)));
    }
}
