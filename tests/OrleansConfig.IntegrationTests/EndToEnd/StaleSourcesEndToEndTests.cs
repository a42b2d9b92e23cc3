using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>Source lifetimes (<c>OrleansConfig:Sources</c>) as silo settings, and what <c>sources</c> shows of them.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class StaleSourcesEndToEndTests
{
    [Fact]
    public async Task Sources_shows_a_silent_source_stale_and_one_past_DropAfter_dropped_and_out_of_the_union()
    {
        await using var silo = new SiloProcess
        {
            ExtraArgs =
            [
                "--OrleansConfig:Sources:e2e-quiet:StaleAfter=00:00:01",
                "--OrleansConfig:Sources:e2e-gone:StaleAfter=00:00:01",
                "--OrleansConfig:Sources:e2e-gone:DropAfter=00:00:08",
            ],
        };
        await silo.InitializeAsync();
        var input = Path.Combine(Path.GetTempPath(), $"oc-stale-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(input, "apiVersion: v1\nkind: Service\nmetadata:\n  name: kept\nspec:\n  ports:\n  - port: 80\n");
        try
        {
            Assert.Equal(0, (await silo.Cli("apply", "--source", "e2e-quiet", "-f", input)).ExitCode);
            Assert.Equal(0, (await silo.Cli("apply", "--source", "e2e-gone", "-f", input)).ExitCode);

            var table = await Eventually.Get(() => silo.Cli("sources", "e2e-quiet", "e2e-gone"),
                r => r.Stdout.Contains(" dropped ", StringComparison.Ordinal), what: "e2e-gone to be dropped");

            Assert.Matches(@"^NAME\s+SERVICES\s+ENDPOINTS\s+SYNCED\s+LAST CHANGE\s+LAST HEARD\s+STALE\s+ERROR\s+WARNING\n", table.Stdout);
            Assert.Matches(@"(?m)^e2e-quiet\s+1\s+0\s+true\s+\d+s\s+\d+s\s+true\s+<none>\s+<none>$", table.Stdout);
            Assert.Matches(@"(?m)^e2e-gone\s+1\s+0\s+true\s+\d+s\s+\d+s\s+dropped\s+<none>\s+<none>$", table.Stdout);
            var gone = await silo.SourceStatus("e2e-gone");
            Assert.True(gone.GetProperty("stale").GetBoolean());
            Assert.True(gone.GetProperty("dropped").GetBoolean());
            Assert.Equal("00:00:08", gone.GetProperty("dropAfter").GetString());
            var quiet = await silo.SourceStatus("e2e-quiet");
            Assert.True(quiet.GetProperty("stale").GetBoolean());
            Assert.False(quiet.GetProperty("dropped").GetBoolean());

            // The quiet source's item stays; the dropped one's is out of the union until it is heard from again (DropAfter
            // is long enough that the CLI's next process sees it back before it could be dropped again).
            var union = await silo.Cli("get", "services", "kept", "-o", "name");
            Assert.Equal("service/default/kept@e2e-quiet", union.Stdout.Trim());
            Assert.Equal(0, (await silo.Cli("apply", "--source", "e2e-gone", "-f", input)).ExitCode);
            var back = await silo.Cli("get", "services", "kept", "-o", "name");
            Assert.Equal(["service/default/kept@e2e-gone", "service/default/kept@e2e-quiet"], back.Stdout.Trim().Split('\n').Order(StringComparer.Ordinal));
        }
        finally
        {
            File.Delete(input);
        }
    }

    [Fact]
    public async Task Bad_lifetime_settings_stop_the_silo_naming_the_key()
    {
        var ports = FreePorts.Take(2);
        using var silo = ChildProcess.Start(BuiltApps.Silo,
        [
            $"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=",
            "--OrleansConfig:Sources:etcd:StaleAfter=00:05:00",
            "--OrleansConfig:Sources:etcd:DropAfter=00:01:00",
        ]);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());

        Assert.NotEqual(0, silo.ExitCode);
        Assert.Equal(["error: OrleansConfig:Sources:etcd:DropAfter: must not be shorter than the source's StaleAfter (00:05:00), got 00:01:00"],
            silo.Stderr.Trim().Split('\n').Select(line => line.TrimEnd('\r')));
    }
}
