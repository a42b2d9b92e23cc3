using OrleansConfig.Subscribers;
using Xunit;

namespace OrleansConfig.Tests.Subscribers;

public sealed class SubscriberTableTests
{
    private static readonly Guid Epoch = Guid.NewGuid();
    private static readonly DateTimeOffset T0 = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static SubscriberTable Table(TimeSpan? expireAfter = null, int maxPerClient = 256) =>
        new(new SubscriberRegistryOptions { ExpireAfter = expireAfter ?? TimeSpan.FromSeconds(15), MaxPerClient = maxPerClient });

    private static SubscriberReport Report(Guid? instance = null, string host = "h1", string kind = "services", long? applied = 5, int pid = 1) => new()
    {
        Instance = instance ?? Guid.NewGuid(),
        Kind = kind,
        Host = host,
        ProcessId = pid,
        ProcessName = "app",
        Handlers = ["H.OnUpdate"],
        Applied = applied is { } v ? new UnionVersion(Epoch, v) : null,
        Received = new UnionVersion(Epoch, 9),
        BehindFor = TimeSpan.FromMilliseconds(1500),
        Resyncs = 2,
        LastError = "H.OnUpdate: InvalidOperationException: boom",
        LastErrorAt = T0,
    };

    [Fact]
    public void A_report_is_listed_with_its_caller_and_its_lag_behind_the_union()
    {
        var table = Table();
        var report = Report(applied: 5);
        table.Report("client/a", report, T0);
        table.Report("client/a", report, T0.AddSeconds(4));

        var status = Assert.Single(table.List(new UnionVersion(Epoch, 9)));

        Assert.Equal("client/a", status.Client);
        Assert.Equal(report.Instance, status.Instance);
        Assert.Equal(new UnionVersion(Epoch, 5).ToString(), status.Applied);
        Assert.Equal(new UnionVersion(Epoch, 9).ToString(), status.Union);
        Assert.Equal(4, status.VersionsBehind);
        Assert.Equal(1.5, status.SecondsBehind);
        Assert.Equal(2, status.Resyncs);
        Assert.Equal(["H.OnUpdate"], status.Handlers);
        Assert.Equal("H.OnUpdate: InvalidOperationException: boom", status.LastError);
        Assert.Equal(T0, status.FirstSeen);
        Assert.Equal(T0.AddSeconds(4), status.LastReport);
    }

    [Fact]
    public void Versions_behind_is_measured_only_within_one_epoch_and_once_something_is_applied()
    {
        Assert.Equal(0, SubscriberTable.VersionsBehind(new UnionVersion(Epoch, 7), new UnionVersion(Epoch, 7)));
        Assert.Equal(3, SubscriberTable.VersionsBehind(new UnionVersion(Epoch, 4), new UnionVersion(Epoch, 7)));
        Assert.Null(SubscriberTable.VersionsBehind(new UnionVersion(Guid.NewGuid(), 4), new UnionVersion(Epoch, 7)));
        Assert.Null(SubscriberTable.VersionsBehind(null, new UnionVersion(Epoch, 7)));
        Assert.Null(SubscriberTable.VersionsBehind(new UnionVersion(Epoch, 4), null));
    }

    [Fact]
    public void Entries_expire_once_not_reported_for_expire_after()
    {
        var table = Table(TimeSpan.FromSeconds(15));
        var gone = Report(host: "gone");
        var alive = Report(host: "alive");
        table.Report("client/gone", gone, T0);
        table.Report("client/alive", alive, T0);
        table.Report("client/alive", alive, T0.AddSeconds(10));

        Assert.Equal(0, table.Expire(T0.AddSeconds(14.9)));
        Assert.Equal(1, table.Expire(T0.AddSeconds(15)));

        Assert.Equal(["alive"], table.List(null).Select(s => s.Host));
        Assert.Equal(1, table.Expire(T0.AddSeconds(25)));
        Assert.Empty(table.List(null));
    }

    [Fact]
    public void Entries_are_listed_by_host_program_process_kind_then_client()
    {
        var table = Table();
        table.Report("client/b", Report(host: "h2", kind: "services"), T0);
        table.Report("client/c", Report(host: "h1", kind: "services", pid: 2), T0);
        table.Report("client/a", Report(host: "h1", kind: "services", pid: 1), T0);
        table.Report("client/d", Report(host: "h1", kind: "endpoints", pid: 1), T0);

        Assert.Equal(
            ["h1 1 endpoints client/d", "h1 1 services client/a", "h1 2 services client/c", "h2 1 services client/b"],
            table.List(null).Select(s => $"{s.Host} {s.ProcessId} {s.Kind} {s.Client}"));
    }

    [Fact]
    public void A_client_cannot_replace_or_remove_another_clients_entry_even_with_its_instance()
    {
        var table = Table();
        var instance = Guid.NewGuid();
        table.Report("client/a", Report(instance, host: "honest"), T0);

        table.Report("client/b", Report(instance, host: "forged"), T0);
        Assert.False(table.Remove("client/b", Guid.NewGuid()));
        table.Remove("client/b", instance);

        var status = Assert.Single(table.List(null));
        Assert.Equal(("client/a", "honest"), (status.Client, status.Host));
        Assert.True(table.Remove("client/a", instance));
        Assert.Empty(table.List(null));
    }

    [Fact]
    public void A_client_over_its_limit_loses_its_least_recently_reported_entry()
    {
        var table = Table(maxPerClient: 2);
        table.Report("client/a", Report(host: "first"), T0);
        table.Report("client/a", Report(host: "second"), T0.AddSeconds(1));
        table.Report("client/other", Report(host: "other"), T0);
        table.Report("client/a", Report(host: "third"), T0.AddSeconds(2));

        Assert.Equal(["other", "second", "third"], table.List(null).Select(s => s.Host).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Counts_by_kind_follow_reports_and_removals()
    {
        var table = Table();
        var services = Report(kind: "services");
        table.Report("client/a", services, T0);
        table.Report("client/a", Report(kind: "services"), T0);
        table.Report("client/a", Report(kind: "endpoints"), T0);
        table.Remove("client/a", services.Instance);

        Assert.Equal(new Dictionary<string, int> { ["services"] = 1, ["endpoints"] = 1 }, table.CountByKind());
    }

    [Theory]
    [InlineData("00:00:00.500", 256, "OrleansConfig:Subscribers:ExpireAfter: must be at least 00:00:01, got 00:00:00.5000000")]
    [InlineData("00:00:15", 0, "OrleansConfig:Subscribers:MaxPerClient: must be at least 1, got 0")]
    public void The_registrys_settings_are_checked_naming_their_key(string expireAfter, int maxPerClient, string error)
    {
        var result = new SubscriberRegistryOptionsValidator().Validate(null,
            new SubscriberRegistryOptions { ExpireAfter = TimeSpan.Parse(expireAfter, System.Globalization.CultureInfo.InvariantCulture), MaxPerClient = maxPerClient });

        Assert.Equal([error], result.Failures);
    }
}
