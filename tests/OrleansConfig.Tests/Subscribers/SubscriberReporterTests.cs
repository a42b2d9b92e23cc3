using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Client.Reporting;
using OrleansConfig.Tests.Client;
using Xunit;

namespace OrleansConfig.Tests.Subscribers;

public sealed class SubscriberReporterTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private static readonly Guid Epoch = Guid.NewGuid();

    private readonly ManualTimeProvider _time = new();
    private readonly RecordingTarget _target = new();
    private readonly Guid _instance = Guid.NewGuid();
    private long _applied = 1;

    private SubscriberReport Read() => new()
    {
        Instance = _instance,
        Kind = "services",
        Applied = new UnionVersion(Epoch, Interlocked.Read(ref _applied)),
    };

    private SubscriberReporter Reporter(ISubscriberReportTarget? target = null) =>
        new(Read, target ?? _target, Interval, TimeSpan.FromSeconds(1), _time, NullLogger<SubscriberReporter>.Instance);

    // The loop is parked on the clock (a heartbeat or the gap), so advancing it now is seen.
    private Task Parked() => Eventually.Until(() => _time.ActiveTimers > 0, "the reporter waits on the clock");

    [Fact]
    public async Task It_reports_at_once_then_every_interval_while_nothing_changes()
    {
        await using var reporter = Reporter();
        reporter.Start();
        await Eventually.Until(() => _target.Reports.Count == 1, "the first report");

        await Parked();
        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Single(_target.Reports);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await Eventually.Until(() => _target.Reports.Count == 2, "the heartbeat");

        await Parked();
        _time.Advance(Interval);
        await Eventually.Until(() => _target.Reports.Count == 3, "the next heartbeat");
        Assert.All(_target.Reports, r => Assert.Equal(new UnionVersion(Epoch, 1), r.Applied));
    }

    [Fact]
    public async Task A_change_is_reported_at_once_not_at_the_next_heartbeat()
    {
        await using var reporter = Reporter();
        reporter.Start();
        await Eventually.Until(() => _target.Reports.Count == 1, "the first report");
        await Parked();
        _time.Advance(TimeSpan.FromSeconds(2));

        Interlocked.Exchange(ref _applied, 7);
        reporter.Signal();

        await Eventually.Until(() => _target.Reports.Count == 2, "the change is reported");
        Assert.Equal(new UnionVersion(Epoch, 7), _target.Reports.Last().Applied);
    }

    [Fact]
    public async Task Changes_right_after_a_report_wait_for_the_least_gap()
    {
        await using var reporter = Reporter();
        reporter.Start();
        await Eventually.Until(() => _target.Reports.Count == 1, "the first report");
        await Parked();

        Interlocked.Exchange(ref _applied, 7);
        reporter.Signal();
        await Parked();
        Assert.Single(_target.Reports);

        // The clock moves in tenths of the gap, up to the gap: one step of the whole gap could come before the reporter,
        // woken by the signal, has set its wait (the timer the test saw parked could still be the heartbeat's), and
        // that wait would then never end.
        var advanced = TimeSpan.Zero;
        await Eventually.Until(() =>
        {
            if (_target.Reports.Count > 1) return true;
            if (advanced < reporter.MinGap)
            {
                _time.Advance(reporter.MinGap / 10);
                advanced += reporter.MinGap / 10;
            }
            return false;
        }, "the change is reported after the gap");
        Assert.Equal(2, _target.Reports.Count);
        Assert.Equal(reporter.MinGap, advanced);
        Assert.Equal(new UnionVersion(Epoch, 7), _target.Reports.Last().Applied);
        Assert.Equal(TimeSpan.FromSeconds(1), reporter.MinGap);
    }

    [Fact]
    public async Task A_signal_without_a_change_sends_nothing_before_the_heartbeat()
    {
        await using var reporter = Reporter();
        reporter.Start();
        await Eventually.Until(() => _target.Reports.Count == 1, "the first report");
        await Parked();

        reporter.Signal();
        await Parked();
        _time.Advance(reporter.MinGap);
        await Parked();

        Assert.Single(_target.Reports);
    }

    [Fact]
    public async Task A_report_that_never_answers_holds_up_only_itself_for_one_interval()
    {
        var hanging = new RecordingTarget { Hang = true };
        await using var reporter = Reporter(hanging);
        reporter.Start();
        await Eventually.Until(() => hanging.Reports.Count == 1, "the first report is sent");

        await Parked();
        _time.Advance(Interval);

        await Eventually.Until(() => hanging.Reports.Count == 2, "the next report is sent once the first has had its interval");
        Assert.Equal(0, reporter.Sent);
    }

    [Fact]
    public async Task Disposing_stops_reporting_and_removes_the_entry()
    {
        var reporter = Reporter();
        reporter.Start();
        await Eventually.Until(() => _target.Reports.Count == 1, "the first report");

        await reporter.DisposeAsync().Within();
        _time.Advance(Interval * 3);

        Assert.Single(_target.Reports);
        Assert.Equal([_instance], _target.Removed);
    }

    [Fact]
    public async Task Disposing_before_any_report_got_through_removes_nothing()
    {
        var failing = new RecordingTarget { Fail = true };
        var reporter = Reporter(failing);
        reporter.Start();
        await Eventually.Until(() => failing.Reports.Count == 1, "a report is tried");

        await reporter.DisposeAsync().Within();

        Assert.Empty(failing.Removed);
    }

    [Fact]
    public void The_report_interval_is_zero_or_at_least_a_tenth_of_a_second()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new ConfigClientOptions().ReportInterval);
        Assert.Equal(TimeSpan.Zero, new ConfigClientOptions { ReportInterval = TimeSpan.Zero }.ReportInterval);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { ReportInterval = TimeSpan.FromMilliseconds(50) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ConfigClientOptions { ReportInterval = TimeSpan.FromSeconds(-1) });
    }
}
