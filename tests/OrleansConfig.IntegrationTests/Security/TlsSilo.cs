using OrleansConfig.IntegrationTests.EndToEnd;
using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.Security;

/// <summary>
/// A silo process with mutual TLS and authorization, and the certificates of its callers, made by the test: a CA,
/// the silo, a reader, a writer of source <c>manual</c>, a writer of every source, an admin, and an "admin" from
/// another CA. The CLI of <see cref="Silo"/> speaks as the admin.
/// </summary>
public sealed class TlsSilo : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("oc-tls-").FullName;
    private readonly TestPki _pki;
    private readonly TestPki _otherPki;

    public TlsSilo()
    {
        _pki = new TestPki(Path.Combine(_directory, "cluster"), "cluster-ca");
        _otherPki = new TestPki(Path.Combine(_directory, "other"), "other-ca");
        SiloCert = _pki.Issue("orleans-config-silo", [TestPki.ServerAuth, TestPki.ClientAuth], "silo", loopbackNames: true);
        Reader = _pki.Issue("reader", [TestPki.ClientAuth]);
        Writer = _pki.Issue("writer", [TestPki.ClientAuth]);
        AnyWriter = _pki.Issue("any-writer", [TestPki.ClientAuth]);
        Admin = _pki.Issue("admin", [TestPki.ClientAuth]);
        Stranger = _otherPki.Issue("admin", [TestPki.ClientAuth], "stranger");
        Silo = new SiloProcess
        {
            ExtraArgs =
            [
                $"--OrleansConfig:Tls:CertificatePath={SiloCert.CertFile}",
                $"--OrleansConfig:Tls:KeyPath={SiloCert.KeyFile}",
                $"--OrleansConfig:Tls:CaPath={CaFile}",
                "--OrleansConfig:Authorization:Writers:manual=writer",
                "--OrleansConfig:Authorization:Writers:*=any-writer",
                "--OrleansConfig:Authorization:Admins=admin",
            ],
            CliArgs = As(Admin),
        };
    }

    public string CaFile => _pki.CaFile;
    public string OtherCaFile => _otherPki.CaFile;
    public TestPki.Issued SiloCert { get; }
    public TestPki.Issued Reader { get; }
    public TestPki.Issued Writer { get; }
    public TestPki.Issued AnyWriter { get; }
    public TestPki.Issued Admin { get; }
    public TestPki.Issued Stranger { get; }
    public SiloProcess Silo { get; }

    /// <summary>The CLI arguments that make it speak as <paramref name="who"/>.</summary>
    public string[] As(TestPki.Issued who, string? ca = null) =>
        ["--tls-cert", who.CertFile, "--tls-key", who.KeyFile, "--tls-ca", ca ?? CaFile];

    /// <summary>The CLI against the silo as <paramref name="who"/> (without a certificate when null).</summary>
    public Task<CliResult> Cli(TestPki.Issued? who, params string[] args) =>
        EndToEnd.Cli.RunAsync(["--gateway", Silo.Gateway, .. who is null ? [] : As(who), .. args]);

    public Task InitializeAsync() => Silo.InitializeAsync();

    public async Task DisposeAsync()
    {
        await Silo.DisposeAsync();
        _pki.Dispose();
        _otherPki.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
