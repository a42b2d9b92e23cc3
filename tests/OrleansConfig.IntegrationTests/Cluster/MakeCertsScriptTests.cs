using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>scripts/make-certs.sh: the certificates docker-compose.yml and cluster-up.sh mount, what each may do, kept
/// between runs.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MakeCertsScriptTests : IDisposable
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("oc-make-certs-").FullName, "certs");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [Fact]
    public async Task It_makes_each_identity_with_its_usage_names_and_ca_and_keys_only_the_owner_reads()
    {
        var output = await MakeCerts.MakeAsync(_directory);

        Assert.Equal(MakeCerts.Certificates.SelectMany(c => new[] { $"{c}.pem", $"{c}-key.pem" }).Order(StringComparer.Ordinal),
            Directory.GetFiles(_directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.All(MakeCerts.Certificates, c =>
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, $"{c}-key.pem")));
            Assert.Contains($"made {_directory}/{c}.pem", output, StringComparison.Ordinal);
        });

        var silo = Leaf("silo", "ca", ServerAuth, ClientAuth);
        Assert.Equal("CN=orleans-config-silo", silo.Subject);
        Assert.All(["silo1", "silo2", "silo3", "localhost", "127.0.0.1"], host =>
            Assert.True(silo.MatchesHostname(host), $"silo.pem does not name {host}"));
        Assert.Equal("CN=admin", Leaf("admin", "ca", ClientAuth).Subject);
        Assert.Equal("CN=writer-manual", Leaf("writer-manual", "ca", ClientAuth).Subject);
        Assert.Equal("CN=reader", Leaf("reader", "ca", ClientAuth).Subject);
        var etcd = Leaf("etcd", "etcd-ca", ServerAuth, ClientAuth);
        Assert.All(["etcd", "localhost", "127.0.0.1"], host => Assert.True(etcd.MatchesHostname(host), $"etcd.pem does not name {host}"));
        Leaf("etcd-client", "etcd-ca", ClientAuth);

        // etcd trusts its own CA only: no cluster client certificate chains to it.
        Assert.False(Chains(Load("reader"), Load("etcd-ca")));
        Assert.False(Chains(Load("etcd-client"), Load("ca")));
    }

    [Fact]
    public async Task A_second_run_keeps_every_file_remakes_what_is_missing_or_foreign_and_force_remakes_all()
    {
        await MakeCerts.MakeAsync(_directory);
        var before = Snapshot();

        var again = await MakeCerts.MakeAsync(_directory);
        Assert.DoesNotContain("made ", again, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());

        // A missing key, and a certificate whose key is someone else's: both made again, nothing else touched.
        File.Delete(Path.Combine(_directory, "reader-key.pem"));
        File.Copy(Path.Combine(_directory, "admin-key.pem"), Path.Combine(_directory, "writer-manual-key.pem"), overwrite: true);
        var repaired = await MakeCerts.MakeAsync(_directory);
        Assert.Equal(2, repaired.Split('\n').Count(l => l.StartsWith("made ", StringComparison.Ordinal)));
        Assert.Equal(before["silo.pem"], Snapshot()["silo.pem"]);
        Assert.NotEqual(before["reader.pem"], Snapshot()["reader.pem"]);
        Leaf("writer-manual", "ca", ClientAuth);

        // Brought without the CA's key, a certificate that needs signing cannot be made: refused, not silently re-rooted.
        File.Delete(Path.Combine(_directory, "ca-key.pem"));
        File.Delete(Path.Combine(_directory, "admin.pem"));
        var (exitCode, refused) = await MakeCerts.RunAsync(_directory);
        Assert.NotEqual(0, exitCode);
        Assert.Contains("ca-key.pem is missing", refused, StringComparison.Ordinal);
        Assert.Equal(before["ca.pem"], Snapshot()["ca.pem"]);

        await MakeCerts.RunAsync(_directory, "--force");
        var forced = Snapshot();
        Assert.All(MakeCerts.Certificates, c => Assert.NotEqual(before[$"{c}.pem"], forced[$"{c}.pem"]));
        Leaf("admin", "ca", ClientAuth);
    }

    private Dictionary<string, string> Snapshot() =>
        Directory.GetFiles(_directory).ToDictionary(f => Path.GetFileName(f)!, File.ReadAllText);

    private X509Certificate2 Load(string name) => X509CertificateLoader.LoadCertificateFromFile(Path.Combine(_directory, $"{name}.pem"));

    /// <summary>The certificate NAME with its key, checked: chains to CA, usable for exactly USAGES, not a CA itself.</summary>
    private X509Certificate2 Leaf(string name, string ca, params Oid[] usages)
    {
        using var withKey =
            X509Certificate2.CreateFromPemFile(Path.Combine(_directory, $"{name}.pem"), Path.Combine(_directory, $"{name}-key.pem"));
        Assert.True(withKey.HasPrivateKey);
        using (var key = withKey.GetECDsaPrivateKey())
        {
            Assert.Equal(256, key!.KeySize);
        }
        var cert = Load(name);
        Assert.True(Chains(cert, Load(ca)), $"{name}.pem does not chain to {ca}.pem");
        var usage = Assert.Single(cert.Extensions.OfType<X509EnhancedKeyUsageExtension>());
        Assert.Equal(usages.Select(u => u.Value).Order(StringComparer.Ordinal),
            usage.EnhancedKeyUsages.Cast<Oid>().Select(u => u.Value).Order(StringComparer.Ordinal));
        Assert.False(Assert.Single(cert.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.InRange(cert.NotAfter, DateTime.Now.AddDays(364), DateTime.Now.AddDays(366));
        return cert;
    }

    private static bool Chains(X509Certificate2 cert, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }
}
