using OrleansConfig.Cli.Output;
using Xunit;

namespace OrleansConfig.Tests.Cli;

public sealed class SubscribersTableTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_subscriber_is_a_row_with_its_applied_version_lag_and_last_error()
    {
        var text = SubscribersTable.Render(
        [
            new SubscriberStatus
            {
                Client = "client/a", Host = "h1", ProcessName = "orleans-config", ProcessId = 42, Kind = "services",
                Handlers = ["WatchCommand.Print"], Applied = "0123abcd:7", VersionsBehind = 0, Resyncs = 1, FirstSeen = Now.AddSeconds(-30),
            },
            new SubscriberStatus
            {
                Client = "client/b", Host = "h2", ProcessName = "proxy", ProcessId = 7, Kind = "endpoints",
                Handlers = [], VersionsBehind = null, SecondsBehind = 2.5, LastError = "P.OnUpdate: IOException: disk", FirstSeen = Now.AddMinutes(-5),
            },
        ], Now);

        Assert.Equal(
            """
            CLIENT     HOST   PROCESS              KIND        HANDLERS             APPLIED      LAG        RESYNCS   LAST ERROR                      AGE
            client/a   h1     orleans-config[42]   services    WatchCommand.Print   0123abcd:7   0          1         <none>                          30s
            client/b   h2     proxy[7]             endpoints   <none>               <none>       ? (2.5s)   0         P.OnUpdate: IOException: disk   5m

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            text);
    }

    [Theory]
    [InlineData(0L, 0.0, "0")]
    [InlineData(3L, 1.5, "3 (1.5s)")]
    [InlineData(0L, 0.4, "0 (0.4s)")]
    [InlineData(null, 0.0, "? (0s)")]
    public void Lag_is_versions_behind_then_seconds_behind(long? versions, double seconds, string expected) =>
        Assert.Equal(expected, SubscribersTable.Lag(new SubscriberStatus { VersionsBehind = versions, SecondsBehind = seconds }));
}
