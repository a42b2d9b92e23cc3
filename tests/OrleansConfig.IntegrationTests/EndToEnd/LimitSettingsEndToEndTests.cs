
namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>The input limits (<c>OrleansConfig:Limits</c>) and the deletion guard as silo settings.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class LimitSettingsEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Bad_limit_and_guard_settings_each_stop_the_silo_naming_the_key()
    {
        var ports = FreePorts.Take(2);
        using var silo = ChildProcess.Start(BuiltApps.Silo,
        [
            $"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=",
            "--OrleansConfig:Limits:MaxItemsPerUpdate=0",
            "--OrleansConfig:Limits:Manifest:MaxBytes=lots",
            "--OrleansConfig:DeletionGuard:MaxRemovePercent=150",
            "--OrleansConfig:DeletionGuard:Sources:etcd=-1",
            "--OrleansConfig:Validation:AllowSpecialAddresses=maybe",
            "--OrleansConfig:Snapshots:MaxPageItems=0",
            "--OrleansConfig:Snapshots:ReadLifetime=soon",
        ]);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());

        Assert.NotEqual(0, silo.ExitCode);
        Assert.Equal(
        [
            "error: OrleansConfig:Limits:MaxItemsPerUpdate: must be a whole number of at least 1, got \"0\"",
            "error: OrleansConfig:Limits:Manifest:MaxBytes: must be a whole number of at least 1, got \"lots\"",
            "error: OrleansConfig:DeletionGuard:MaxRemovePercent: must be a whole number from 0 to 100, got \"150\"",
            "error: OrleansConfig:Snapshots:MaxPageItems: must be a whole number of at least 1, got \"0\"",
            "error: OrleansConfig:Snapshots:ReadLifetime: must be a positive duration such as 00:00:30, got \"soon\"",
            "error: OrleansConfig:Validation:AllowSpecialAddresses: must be true or false, got \"maybe\"",
            "error: OrleansConfig:DeletionGuard:Sources:etcd: must be a whole number from 0 to 100, got \"-1\"",
        ], silo.Stderr.Trim().Split('\n').Select(line => line.TrimEnd('\r')));
    }

    [Fact]
    public async Task Limits_set_on_the_silo_bound_what_the_cli_and_the_file_source_may_send()
    {
        var silo =
            new SiloProcess { ExtraArgs = ["--OrleansConfig:Limits:MaxItemsPerUpdate=5", "--OrleansConfig:Limits:Manifest:MaxBytes=4096"] };
        await silo.InitializeAsync();
        var input = Path.Combine(Path.GetTempPath(), $"oc-limits-{Guid.NewGuid():N}.yaml");
        try
        {
            // Six services in one update, one more than the silo takes.
            await File.WriteAllTextAsync(input, string.Join("---\n", Enumerable.Range(1, 6).Select(i =>
                $"kind: Service\napiVersion: v1\nmetadata:\n  name: s{i}\nspec:\n  ports:\n  - port: 80\n")));
            var apply = await silo.Cli("apply", "--source", "manual", "-f", input);
            Assert.True(apply.ExitCode == 1, apply.ToString());
            Assert.True(apply.Stderr.Contains("services: must have at most 5 items, got 6", StringComparison.Ordinal), apply.ToString());

            // A file over the manifest limit is refused unread; the source keeps the rest.
            var big = Path.Combine(silo.WatchedDirectory, "big.yaml");
            await File.WriteAllTextAsync(big, "# " + new string('x', 5000) + "\n");
            var status = await Eventually.Get(() => silo.SourceStatus("file"),
                s => s.GetProperty("lastError").GetString() is { } e && e.Contains("big.yaml"), Timeout,
                    "the file source to report the big file");
            Assert.Equal($"{big}: is 5003 bytes, larger than the 4096 allowed", status.GetProperty("lastError").GetString());
            Assert.Equal(5, status.GetProperty("services").GetInt32());
        }
        finally
        {
            File.Delete(input);
            await silo.DisposeAsync();
        }
    }

    private const string SpecialAddressesLine =
        "endpoint addresses on loopback, link-local, unspecified and multicast ranges (127.0.0.1, ...) are accepted; set " +
        "OrleansConfig:Validation:AllowSpecialAddresses=false to refuse them";

    [Fact]
    public async Task The_single_host_silo_accepts_loopback_endpoints_by_default_and_says_so_and_an_explicit_false_wins()
    {
        var input = Path.Combine(Path.GetTempPath(), $"oc-special-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(input,
            "kind: Endpoints\napiVersion: v1\nmetadata:\n  name: local\nsubsets:\n- addresses:\n  - ip: 10.0.0.1\n  - ip: 127.0.0.1\n  " +
            "ports:\n  - port: 8080\n");
        var byDefault = new SiloProcess();
        var refusing = new SiloProcess { ExtraArgs = ["--OrleansConfig:Validation:AllowSpecialAddresses=false"] };
        try
        {
            await Task.WhenAll(byDefault.InitializeAsync(), refusing.InitializeAsync());

            var accepted = await byDefault.Cli("apply", "--source", "manual", "-f", input);
            Assert.True(accepted.ExitCode == 0, accepted.ToString());
            Assert.Contains(SpecialAddressesLine, byDefault.Output, StringComparison.Ordinal);

            var refused = await refusing.Cli("apply", "--source", "manual", "-f", input);
            Assert.True(refused.ExitCode == 1, refused.ToString());
            Assert.Contains(
                "endpoints[0].subsets[0].addresses[1].ip: may not be in the loopback range (127.0.0.0/8, ::1/128), got \"127.0.0.1\"",
                refused.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(SpecialAddressesLine, refusing.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(input);
            await Task.WhenAll(byDefault.DisposeAsync(), refusing.DisposeAsync());
        }
    }
}
