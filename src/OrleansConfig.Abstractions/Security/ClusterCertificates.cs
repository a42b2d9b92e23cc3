using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace OrleansConfig.Security;

/// <summary>
/// Where a party's TLS files are, and the names of the settings they came from (so an error names what to fix):
/// <c>OrleansConfig:Tls:CertificatePath</c> on a silo, <c>--tls-cert</c> in the CLI.
/// </summary>
internal sealed record TlsFiles(string? CertificatePath, string? KeyPath, string? CaPath)
{
    public string CertificateSetting { get; init; } = "CertificatePath";
    public string KeySetting { get; init; } = "KeyPath";
    public string CaSetting { get; init; } = "CaPath";

    /// <summary>True when any of the three is set: TLS is then on, and all three are required.</summary>
    public bool Any => Set(CertificatePath) || Set(KeyPath) || Set(CaPath);

    internal static bool Set(string? value) => !string.IsNullOrWhiteSpace(value);
}

/// <summary>
/// A party's certificate with its key, and the cluster's CA bundle that every peer's certificate must chain to.
/// A peer's identity is its certificate's subject common name.
/// </summary>
internal sealed class ClusterCertificates
{
    private readonly X509Certificate2Collection _roots;
    private readonly X509Certificate2Collection _intermediates;
    private readonly TimeProvider _time;

    private ClusterCertificates(X509Certificate2 certificate, X509Certificate2Collection authorities, TimeProvider time)
    {
        Certificate = certificate;
        _time = time;
        _roots = [.. authorities.Where(c => c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))];
        _intermediates = [.. authorities.Where(c => !_roots.Contains(c))];
    }

    /// <summary>This party's certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>This party's identity: its certificate's common name.</summary>
    public string Identity => IdentityOf(Certificate);

    public static string IdentityOf(X509Certificate2 certificate) => certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);

    /// <summary>
    /// Reads and checks the three files. Throws <see cref="CertificateSettingsException"/> with one message per
    /// problem, each naming its setting: a missing file, a key that is not the certificate's, an expired
    /// certificate, or one that does not chain to the CA.
    /// </summary>
    /// <param name="files">The certificate, key and CA files (PEM).</param>
    /// <param name="ownChainsToCa">
    /// A silo's own certificate must chain to the CA it checks its peers with (silos check each other); a client may
    /// hold a certificate of another CA than the one its gateways' certificates come from.
    /// </param>
    /// <param name="time">The clock expiry is checked against (default: the system clock).</param>
    public static ClusterCertificates Load(TlsFiles files, bool ownChainsToCa = true, TimeProvider? time = null)
    {
        time ??= TimeProvider.System;
        List<string> errors = [];
        var settings =
            new[] { (files.CertificatePath, files.CertificateSetting), (files.KeyPath, files.KeySetting), (files.CaPath, files.CaSetting) };
        var given = settings.Where(s => TlsFiles.Set(s.Item1)).Select(s => s.Item2).ToList();
        foreach (var (path, setting) in settings)
        {
            if (!TlsFiles.Set(path))
            {
                errors.Add(
                    $"{setting}: must be set when {string.Join(" and ", given)} {(given.Count == 1 ? "is" : "are")} (TLS needs a " +
                    $"certificate, its key and the CA)");
            }
            else if (!File.Exists(path))
            {
                errors.Add($"{setting}: file \"{path}\" does not exist");
            }
        }
        if (errors.Count > 0) throw new CertificateSettingsException(errors);

        var certificateText = File.ReadAllText(files.CertificatePath!);
        var keyText = File.ReadAllText(files.KeyPath!);
        X509Certificate2? certificate = null;
        try
        {
            using var publicOnly = X509Certificate2.CreateFromPem(certificateText);
            var now = time.GetUtcNow().UtcDateTime;
            if (publicOnly.NotAfter.ToUniversalTime() < now)
            {
                errors.Add(
                    $"{files.CertificateSetting}: the certificate in \"{files.CertificatePath}\" expired on " +
                    $"{publicOnly.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z");
            }
            else if (publicOnly.NotBefore.ToUniversalTime() > now)
            {
                errors.Add(
                    $"{files.CertificateSetting}: the certificate in \"{files.CertificatePath}\" is not valid before " +
                    $"{publicOnly.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss}Z");
            }
            try
            {
                certificate = X509Certificate2.CreateFromPem(certificateText, keyText);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                errors.Add(
                    $"{files.KeySetting}: \"{files.KeyPath}\" is not the private key of the certificate in \"{files.CertificatePath}\" " +
                    $"({FirstSentence(ex)})");
            }
        }
        catch (CryptographicException ex)
        {
            errors.Add($"{files.CertificateSetting}: \"{files.CertificatePath}\" holds no PEM certificate ({ex.Message.TrimEnd('.')})");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(files.CaPath!);
        }
        catch (CryptographicException ex)
        {
            errors.Add($"{files.CaSetting}: \"{files.CaPath}\" is not a PEM certificate bundle ({ex.Message.TrimEnd('.')})");
        }
        if (authorities.Count == 0 && errors.Count == 0)
        {
            errors.Add($"{files.CaSetting}: \"{files.CaPath}\" holds no PEM certificate");
        }
        if (errors.Count > 0)
        {
            certificate?.Dispose();
            throw new CertificateSettingsException(errors);
        }

        var loaded = new ClusterCertificates(certificate!, authorities, time);
        if (ownChainsToCa && !loaded.Trusts(certificate!, out var why))
        {
            throw new CertificateSettingsException(
                [$"{files.CertificateSetting}: the certificate in \"{files.CertificatePath}\" does not chain to the CA in " +
                $"{files.CaSetting} ({why})"]);
        }
        return loaded;
    }

    private static string FirstSentence(Exception ex) => ex.Message.Split(" (Parameter", 2)[0].TrimEnd('.');

    /// <summary>
    /// Whether <paramref name="peer"/> chains to the cluster's CA and is valid now. Host names are not checked:
    /// a peer is known by its certificate's name, not by the address it connects from.
    /// </summary>
    public bool Trusts(X509Certificate2 peer, out string why)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
        chain.ChainPolicy.ExtraStore.AddRange(_intermediates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = _time.GetUtcNow().UtcDateTime;
        if (chain.Build(peer))
        {
            why = "";
            return true;
        }
        why = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        if (why.Length == 0) why = "untrusted";
        return false;
    }
}

/// <summary>TLS settings that cannot be used, one message per problem, each naming its setting.</summary>
internal sealed class CertificateSettingsException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
