using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Diagnostics;
using OrleansConfig.Tests.Sources.Etcd;
using Xunit;

namespace OrleansConfig.Tests.Diagnostics;

/// <summary>What the etcd source records while etcd fails, comes back, and holds a bad value.</summary>
public sealed class SourceMetricsTests : IAsyncLifetime
{
    private const string S = "/registry/services/specs/";

    private readonly MetricRecorder _recorder = new();
    private readonly SourceMeters _meters;
    private readonly FakeEtcdStore _etcd = new();
    private readonly FakeSourceGrain _grain = new();
    private EtcdConfigSource? _source;

    public SourceMetricsTests() => _meters = new SourceMeters(_recorder.Factory);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.StopAsync(CancellationToken.None);
            _source.Dispose();
        }
        _recorder.Dispose();
        _meters.Dispose();
    }

    private async Task<EtcdConfigSource> Start()
    {
        var options = new EtcdSourceOptions
        {
            Endpoints = "http://fake:2379",
            Name = "registry",
            ResyncPeriod = TimeSpan.FromMinutes(10),
            RetryInitialDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(40),
        };
        _source = new EtcdConfigSource(() => _grain, _etcd, options, TimeProvider.System, NullLogger.Instance, _meters.Factory);
        await _source.StartAsync(CancellationToken.None);
        return _source;
    }

    private double Sum(string instrument, string labels) =>
        _recorder.Of(instrument).Where(r => r.Labels == labels).Sum(r => r.Value);

    [Fact]
    public async Task Failed_attempts_count_as_errors_and_the_watch_after_them_as_one_reconnect()
    {
        var source = await Start();
        await Eventually.Until(() => _meters.Watches >= 1, "the first watch");
        Assert.Empty(_recorder.Of(OrleansConfigMeter.SourceErrors));

        _etcd.GoDown();
        await Eventually.Until(() => _meters.Failures >= 2, "failed attempts");
        _etcd.ComeBack();
        await Eventually.Until(() => Sum(OrleansConfigMeter.SourceReconnects, "source=registry,type=etcd") >= 1, "the reconnect");

        Assert.Equal(_etcd.Failures, Sum(OrleansConfigMeter.SourceErrors, "reason=connection,source=registry,type=etcd"));
        Assert.Equal(1, Sum(OrleansConfigMeter.SourceReconnects, "source=registry,type=etcd"));
    }

    [Fact]
    public async Task Bad_values_count_as_errors_with_their_reason()
    {
        var source = await Start();
        await Eventually.Until(() => _meters.Watches >= 1, "the first watch");

        _etcd.Put(S + "a/api", "{broken");
        await Eventually.Until(() => Sum(OrleansConfigMeter.SourceErrors, "reason=bad_value,source=registry,type=etcd") >= 1,
            "the bad value");

        Assert.Equal(1, Sum(OrleansConfigMeter.SourceErrors, "reason=bad_value,source=registry,type=etcd"));
        Assert.Empty(_recorder.Of(OrleansConfigMeter.SourceReconnects));
    }

    [Fact]
    public async Task An_update_the_grain_refuses_is_counted_and_reported_on_the_grain_and_changes_nothing()
    {
        _etcd.Put(S + "a/web", EtcdJson.Service("web", "a"));
        var source = await Start();
        await Eventually.Until(() => _meters.Watches >= 1, "the first watch");
        Assert.Equal(["a/web:80"], _grain.Services);

        _grain.RefuseWith = new FieldError("services", "100001 items, more than the limit of 100000");
        _etcd.Put(S + "a/api", EtcdJson.Service("api", "a", port: 81));
        await Eventually.Until(() => _grain.LastError is not null, "the refusal to be reported");

        Assert.Equal("etcd: update rejected: services: 100001 items, more than the limit of 100000", _grain.LastError);
        Assert.Equal(1, Sum(OrleansConfigMeter.SourceErrors, "reason=rejected,source=registry,type=etcd"));
        Assert.Equal(["a/web:80"], _grain.Services);
    }
}
