using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.Security;

/// <summary>The silo refuses to start rather than run open: unusable TLS files, and ports beyond loopback without TLS.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class SiloStartSecurityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oc-tls-start-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static async Task<string[]> Refusal(params string[] args)
    {
        var ports = FreePorts.Take(2);
        using var silo = ChildProcess.Start(BuiltApps.Silo,
            [$"--Orleans:Endpoints:SiloPort={ports[0]}", $"--Orleans:Endpoints:GatewayPort={ports[1]}", "--Sources:File:Path=", .. args]);
        Assert.True(await silo.WaitForExitAsync(TimeSpan.FromSeconds(60)), silo.Describe());
        Assert.True(silo.ExitCode == 1, silo.Describe());
        return [.. silo.Stderr.Trim().Split('\n').Select(line => line.TrimEnd('\r'))];
    }

    [Fact]
    public async Task A_gateway_listening_beyond_loopback_without_tls_stops_the_silo_naming_OrleansConfig_Insecure()
    {
        var port = FreePorts.Take(1)[0];

        var errors = await Refusal($"--Orleans:Endpoints:GatewayListeningEndpoint=0.0.0.0:{port}");

        Assert.Equal(
            [$"error: OrleansConfig:Insecure: the gateway port listens on 0.0.0.0:{port} beyond loopback without TLS: set " +
                $"OrleansConfig:Tls:CertificatePath, KeyPath and CaPath, " +
                "or set OrleansConfig:Insecure=true if anyone who can reach it may write and remove every source"],
            errors);
    }

    [Fact]
    public async Task A_silo_port_advertised_beyond_loopback_without_tls_stops_the_silo()
    {
        var errors = await Refusal("--Orleans:Endpoints:SiloListeningEndpoint=[::]:1", "--OrleansConfig:Insecure=maybe");

        Assert.Equal(["error: OrleansConfig:Insecure: must be true or false, got \"maybe\""], errors);
    }

    [Fact]
    public async Task Tls_files_that_cannot_be_used_stop_the_silo_naming_each_key()
    {
        using var pki = new TestPki(Path.Combine(_directory, "a"), "ca");
        using var other = new TestPki(Path.Combine(_directory, "b"), "other-ca");
        var silo = pki.Issue("silo", [TestPki.ServerAuth, TestPki.ClientAuth]);
        var expired =
            pki.Issue("old", [TestPki.ServerAuth, TestPki.ClientAuth], notBefore: DateTimeOffset.UtcNow.AddDays(-3),
            notAfter: DateTimeOffset.UtcNow.AddDays(-1));
        var foreign = other.Issue("foreign", [TestPki.ServerAuth, TestPki.ClientAuth]);
        var missing = Path.Combine(_directory, "missing.pem");

        Assert.Equal(
            [$"error: OrleansConfig:Tls:KeyPath: must be set when OrleansConfig:Tls:CertificatePath and OrleansConfig:Tls:CaPath are " +
                $"(TLS needs a certificate, its key and the CA)"],
            await Refusal($"--OrleansConfig:Tls:CertificatePath={silo.CertFile}", $"--OrleansConfig:Tls:CaPath={pki.CaFile}"));
        Assert.Equal(
            [$"error: OrleansConfig:Tls:CertificatePath: file \"{missing}\" does not exist"],
            await Refusal($"--OrleansConfig:Tls:CertificatePath={missing}", $"--OrleansConfig:Tls:KeyPath={silo.KeyFile}",
                $"--OrleansConfig:Tls:CaPath={pki.CaFile}"));
        var mismatch =
            await Refusal($"--OrleansConfig:Tls:CertificatePath={silo.CertFile}", $"--OrleansConfig:Tls:KeyPath={expired.KeyFile}",
            $"--OrleansConfig:Tls:CaPath={pki.CaFile}");
        Assert.StartsWith(
            $"error: OrleansConfig:Tls:KeyPath: \"{expired.KeyFile}\" is not the private key of the certificate in \"{silo.CertFile}\"",
            Assert.Single(mismatch));
        var old = await Refusal($"--OrleansConfig:Tls:CertificatePath={expired.CertFile}", $"--OrleansConfig:Tls:KeyPath={expired.KeyFile}",
            $"--OrleansConfig:Tls:CaPath={pki.CaFile}");
        Assert.Matches(
            $"^error: OrleansConfig:Tls:CertificatePath: the certificate in " +
            $"\"{System.Text.RegularExpressions.Regex.Escape(expired.CertFile)}\" expired on \\d{{4}}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ$",
            Assert.Single(old));
        var untrusted =
            await Refusal($"--OrleansConfig:Tls:CertificatePath={foreign.CertFile}", $"--OrleansConfig:Tls:KeyPath={foreign.KeyFile}",
            $"--OrleansConfig:Tls:CaPath={pki.CaFile}");
        Assert.StartsWith(
            $"error: OrleansConfig:Tls:CertificatePath: the certificate in \"{foreign.CertFile}\" does not chain to the CA in " +
            $"OrleansConfig:Tls:CaPath", Assert.Single(untrusted));
    }
}
