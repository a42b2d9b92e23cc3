using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Sources;
using OrleansConfig.Sources.Diagnostics;
using OrleansConfig.Tests.Client;
using OrleansConfig.Tests.Sources.Etcd;
using Xunit;
using static OrleansConfig.Testing.Items;

namespace OrleansConfig.Tests.Sources;

/// <summary>An adapter's heartbeat: sent every period while it is healthy, never while it is failing.</summary>
public sealed class SourceGrainWriterTests
{
    private readonly FakeSourceGrain _grain = new();
    private readonly ManualTimeProvider _time = new();
    private readonly SourceGrainWriter _writer;

    public SourceGrainWriterTests() =>
        _writer = new SourceGrainWriter(() => _grain, "etcd", "etcd", SourceMetrics.Create(null, "etcd", "etcd"), NullLogger.Instance);

    private async Task Tick()
    {
        await Eventually.Until(() => _time.ActiveTimers == 1, "the heartbeat waits on its timer");
        _time.Advance(SourceGrainWriter.HeartbeatPeriod);
    }

    [Fact]
    public async Task Heartbeats_start_with_the_first_accepted_update_stop_on_a_failure_and_resume_on_recovery()
    {
        using var stop = new CancellationTokenSource();
        var running = _writer.RunHeartbeatAsync(_time, stop.Token);

        await Tick();
        await Tick();
        Assert.Equal(0, _grain.Heartbeats);

        await _writer.ApplyAsync(new ServiceUpdate(Operation.Set, [Service("web")]), CancellationToken.None);
        await Tick();
        await Eventually.Until(() => _grain.Heartbeats == 1, "one heartbeat");

        await _writer.ReportErrorAsync("etcd: connection refused", CancellationToken.None);
        await Tick();
        await Tick();
        await Eventually.Until(() => _time.ActiveTimers == 1, "the heartbeat waits again");
        Assert.Equal(1, _grain.Heartbeats);

        await _writer.RecoveredAsync(CancellationToken.None);
        await Tick();
        await Eventually.Until(() => _grain.Heartbeats >= 2, "heartbeats again");

        await stop.CancelAsync();
        await running.Within();
    }
}
