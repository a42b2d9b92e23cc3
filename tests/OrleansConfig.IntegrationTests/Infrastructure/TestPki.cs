using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansConfig.IntegrationTests.Infrastructure;

/// <summary>Throwaway certificate authorities and the PEM files of certificates they issue, made in the test.</summary>
public sealed class TestPki : IDisposable
{
    public static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1");
    public static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2");

    private readonly X509Certificate2 _ca;
    private readonly string _directory;
    private byte _serial;

    /// <summary>A new CA named <paramref name="name"/>, whose certificate is written to <see cref="CaFile"/>.</summary>
    public TestPki(string directory, string name)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        // Wide enough to issue the expired and not-yet-valid certificates some tests need.
        _ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-7), DateTimeOffset.UtcNow.AddDays(7));
        CaFile = Path.Combine(directory, $"{name}.pem");
        File.WriteAllText(CaFile, _ca.ExportCertificatePem());
    }

    public string CaFile { get; }

    /// <summary>Issues a certificate for <paramref name="commonName"/> and writes it and its key; valid for a day
    /// unless told otherwise.</summary>
    public Issued Issue(
        string commonName, Oid[] usages, string? fileName = null, bool loopbackNames = false,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(
            new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([.. usages], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_ca, true, false));
        if (loopbackNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }
        var start = notBefore ?? DateTimeOffset.UtcNow.AddHours(-1);
        var end = notAfter ?? DateTimeOffset.UtcNow.AddDays(1);
        using var certificate = request.Create(_ca, start, end, [++_serial, 1]);
        var name = fileName ?? commonName;
        var issued = new Issued(Path.Combine(_directory, $"{name}.pem"), Path.Combine(_directory, $"{name}-key.pem"));
        File.WriteAllText(issued.CertFile, certificate.ExportCertificatePem());
        File.WriteAllText(issued.KeyFile, key.ExportPkcs8PrivateKeyPem());
        return issued;
    }

    public void Dispose() => _ca.Dispose();

    public sealed record Issued(string CertFile, string KeyFile);
}
