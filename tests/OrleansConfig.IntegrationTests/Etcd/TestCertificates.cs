using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>A throwaway CA with a server certificate for 127.0.0.1 and a client certificate, as PEM files.</summary>
internal sealed record TestCertificates(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile)
{
    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    public static TestCertificates Create(string directory)
    {
        Directory.CreateDirectory(directory);
        var notBefore = DateTimeOffset.UtcNow.AddHours(-1);
        var notAfter = DateTimeOffset.UtcNow.AddDays(1);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=OrleansConfig test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        var (serverCert, serverKey) = Issue(ca, "CN=127.0.0.1", names.Build(), ServerAuth, notBefore, notAfter, 1);
        var (clientCert, clientKey) = Issue(ca, "CN=orleansconfig", null, ClientAuth, notBefore, notAfter, 2);

        var files = new TestCertificates(
            Path.Combine(directory, "ca.pem"),
            Path.Combine(directory, "server.pem"),
            Path.Combine(directory, "server-key.pem"),
            Path.Combine(directory, "client.pem"),
            Path.Combine(directory, "client-key.pem"));
        File.WriteAllText(files.CaFile, ca.ExportCertificatePem());
        File.WriteAllText(files.ServerCertFile, serverCert);
        File.WriteAllText(files.ServerKeyFile, serverKey);
        File.WriteAllText(files.ClientCertFile, clientCert);
        File.WriteAllText(files.ClientKeyFile, clientKey);
        return files;
    }

    private static (string Cert, string Key) Issue(
        X509Certificate2 ca, string subject, X509Extension? names, Oid usage, DateTimeOffset notBefore, DateTimeOffset notAfter, byte serial)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([usage], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (names is not null) request.CertificateExtensions.Add(names);
        using var cert = request.Create(ca, notBefore, notAfter, [serial]);
        return (cert.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
