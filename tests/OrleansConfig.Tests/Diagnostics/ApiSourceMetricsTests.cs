using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Diagnostics;
using OrleansConfig.Tests.Sources.Api;
using OrleansConfig.Tests.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Diagnostics;

/// <summary>What the Kubernetes API source records while its server is down and when it comes back.</summary>
public sealed class ApiSourceMetricsTests : IAsyncLifetime
{
    private readonly MetricRecorder _recorder = new();
    private readonly FakeApiWatcher _api = new();
    private readonly FakeSourceGrain _grain = new();
    private ApiConfigSource? _source;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }
        _recorder.Dispose();
    }

    private double Sum(string instrument, string labels) =>
        _recorder.Of(instrument).Where(r => r.Labels == labels).Sum(r => r.Value);

    [Fact]
    public async Task Failed_lists_count_as_errors_and_the_list_that_works_as_one_reconnect()
    {
        _api.GoDown();
        var options = new ApiSourceOptions
        {
            Server = "http://fake:6443",
            EndpointsFrom = "Endpoints",
            Name = "k8s",
            RetryInitialDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        _source = new ApiConfigSource(() => _grain, _api, _api, options, TimeProvider.System, NullLogger.Instance, _recorder.Factory);
        await _source.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _api.Calls.Length >= 2, "failed lists");
        Assert.Empty(_recorder.Of(OrleansConfigMeter.SourceReconnects));

        _api.ComeBack();
        await Eventually.Until(() => Sum(OrleansConfigMeter.SourceReconnects, "source=k8s,type=api") >= 1, "the reconnect");

        Assert.True(_grain.Synced);
        Assert.True(Sum(OrleansConfigMeter.SourceErrors, "reason=list,source=k8s,type=api") >= 2);
        Assert.Equal(1, Sum(OrleansConfigMeter.SourceReconnects, "source=k8s,type=api"));
    }

    [Fact]
    public async Task A_list_the_grain_refuses_is_counted_and_reported_on_the_grain_and_changes_nothing()
    {
        _api.Services.Put(Items.Service("web", ns: "a"));
        _grain.RefuseWith = new FieldError("services", "100001 items, more than the limit of 100000");
        var options = new ApiSourceOptions { Server = "http://fake:6443", EndpointsFrom = "Endpoints", Name = "k8s" };
        _source = new ApiConfigSource(() => _grain, _api, _api, options, TimeProvider.System, NullLogger.Instance, _recorder.Factory);
        await _source.StartAsync(CancellationToken.None);
        await Eventually.Until(() => _grain.LastError is not null, "the refusal to be reported");

        Assert.Equal("api: update rejected: services: 100001 items, more than the limit of 100000", _grain.LastError);
        Assert.True(Sum(OrleansConfigMeter.SourceErrors, "reason=rejected,source=k8s,type=api") >= 1);
        Assert.Empty(_grain.Services);
        Assert.False(_grain.Synced);
    }
}
