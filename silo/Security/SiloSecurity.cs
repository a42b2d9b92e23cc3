using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using OrleansConfig.Security;

namespace OrleansConfig.Silo.Security;

/// <summary>
/// The silo's doors: mutual TLS on the silo and gateway ports (<c>OrleansConfig:Tls</c>), who may write
/// (<c>OrleansConfig:Authorization</c>), and the rule that nothing listens beyond loopback without TLS unless
/// <c>OrleansConfig:Insecure</c> says the operator means it (CockroachDB's <c>--insecure</c>).
/// </summary>
internal static class SiloSecurity
{
    public const string TlsSection = "OrleansConfig:Tls";
    public const string AuthorizationSection = "OrleansConfig:Authorization";
    public const string InsecureKey = "OrleansConfig:Insecure";

    /// <summary>The silo's certificates when TLS is configured; null otherwise. Bad files throw <see cref="SettingsException"/>.</summary>
    public static ClusterCertificates? LoadCertificates(IConfiguration configuration)
    {
        var files =
            new TlsFiles(configuration[$"{TlsSection}:CertificatePath"], configuration[$"{TlsSection}:KeyPath"],
            configuration[$"{TlsSection}:CaPath"])
        {
            CertificateSetting = $"{TlsSection}:CertificatePath",
            KeySetting = $"{TlsSection}:KeyPath",
            CaSetting = $"{TlsSection}:CaPath",
        };
        if (!files.Any) return null;
        try
        {
            return ClusterCertificates.Load(files);
        }
        catch (CertificateSettingsException ex)
        {
            throw new SettingsException(ex.Errors);
        }
    }

    public static void Apply(ISiloBuilder silo, IConfiguration configuration, ClusterCertificates? certificates)
    {
        var authorization = new AuthorizationOptions();
        configuration.GetSection(AuthorizationSection).Bind(authorization);
        silo.Services.Configure<AccessOptions>(options => options.Authorization = authorization);
        if (certificates is null) return;
        var silos = WritePolicy.Names(authorization.Silos);
        if (silos.Count == 0) silos.Add(certificates.Identity);
        silo.UseClusterTls(certificates, silos);
    }

    /// <summary>
    /// One message per port that listens beyond loopback without TLS, naming <see cref="InsecureKey"/>;
    /// none when TLS is on or the operator set <c>OrleansConfig:Insecure=true</c>.
    /// </summary>
    public static IReadOnlyList<string> CheckListening(IConfiguration configuration, EndpointOptions endpoints, bool tls)
    {
        List<string> errors = [];
        var insecure = Insecure(configuration, errors);
        if (errors.Count > 0) return errors;
        if (tls || insecure) return [];
        var silo = endpoints.SiloListeningEndpoint ?? new IPEndPoint(endpoints.AdvertisedIPAddress, endpoints.SiloPort);
        Check("silo port", silo, errors);
        if (endpoints.GatewayPort != 0 || endpoints.GatewayListeningEndpoint is not null)
        {
            Check("gateway port",
                endpoints.GatewayListeningEndpoint ?? new IPEndPoint(endpoints.AdvertisedIPAddress, endpoints.GatewayPort), errors);
        }
        return errors;
    }

    /// <summary>Whether <see cref="InsecureKey"/> is true; a value that is not a boolean adds its error and counts as false.</summary>
    public static bool Insecure(IConfiguration configuration, List<string> errors)
    {
        if (configuration[InsecureKey] is not { } text || string.IsNullOrWhiteSpace(text)) return false;
        if (bool.TryParse(text, out var insecure)) return insecure;
        errors.Add($"{InsecureKey}: must be true or false, got \"{text}\"");
        return false;
    }

    private static void Check(string port, IPEndPoint endpoint, List<string> errors)
    {
        if (IPAddress.IsLoopback(endpoint.Address)) return;
        errors.Add(
            $"{InsecureKey}: the {port} listens on {endpoint} beyond loopback without TLS: set {TlsSection}:CertificatePath, KeyPath " +
            $"and CaPath, " +
            $"or set {InsecureKey}=true if anyone who can reach it may write and remove every source");
    }
}
