using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using OrleansConfig.Diagnostics;
using Xunit;

namespace OrleansConfig.Tests.Diagnostics;

public sealed class SubscriberMetricsTests
{
    [Fact]
    public void The_gauge_has_every_kind_with_catalog_zero_when_none_reported()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new SubscriberMetrics(factory);
        using var gauge = new MetricCollector<long>(factory, OrleansConfigMeter.Name, OrleansConfigMeter.Subscribers);

        metrics.Registry(Guid.NewGuid(), new Dictionary<string, int> { ["services"] = 2, ["catalog"] = 1 });
        gauge.RecordObservableInstruments();
        Assert.Equal(
            ["catalog=1", "endpoints=0", "services=2"],
            gauge.GetMeasurementSnapshot().Select(m => $"{m.Tags["kind"]}={m.Value}").Order(StringComparer.Ordinal));

        gauge.Clear();
        metrics.Registry(Guid.NewGuid(), new Dictionary<string, int> { ["services"] = 1 });
        gauge.RecordObservableInstruments();
        Assert.Equal(
            ["catalog=0", "endpoints=0", "services=1"],
            gauge.GetMeasurementSnapshot().Select(m => $"{m.Tags["kind"]}={m.Value}").Order(StringComparer.Ordinal));
    }
}
