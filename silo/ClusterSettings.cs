using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Persistence;
using Orleans.Serialization;
using Orleans.Storage;
using StackExchange.Redis;

namespace OrleansConfig.Silo;

/// <summary>
/// The multi-silo settings: Orleans loads the Redis clustering and storage providers itself from
/// <c>Orleans:Clustering</c> and <c>Orleans:GrainStorage:NAME</c>; this checks those keys before Orleans sees them
/// (so a mistake names its key), and adds what Orleans does not bind on its own.
/// </summary>
internal static class ClusterSettings
{
    public const string Redis = "Redis";
    public const string ClusteringSection = "Orleans:Clustering";
    public const string GrainStorageSection = "Orleans:GrainStorage";
    public const string MembershipSection = "Orleans:Membership";
    public const string AdvertisedIPAddressKey = "Orleans:Endpoints:AdvertisedIPAddress";

    /// <summary>A host name (or IP) resolved at start to the address this silo advertises, e.g. its container's name.</summary>
    public const string AdvertisedHostKey = "Silo:AdvertisedHost";

    public static bool HasClustering(IConfiguration configuration) => configuration.GetSection(ClusteringSection).Exists();

    /// <summary>The grain storages configured to live in Redis, by name.</summary>
    public static IEnumerable<string> RedisStorageNames(IConfiguration configuration) =>
        configuration.GetSection(GrainStorageSection).GetChildren().Where(IsRedis).Select(s => s.Key);

    /// <summary>One message per bad setting, each naming its key.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        List<string> errors = [];
        CheckProvider(configuration.GetSection(ClusteringSection), "localhost clustering", errors);
        foreach (var storage in configuration.GetSection(GrainStorageSection).GetChildren())
        {
            CheckProvider(storage, "in-memory storage", errors);
        }
        if (configuration[AdvertisedIPAddressKey] is { Length: > 0 } ip && !IPAddress.TryParse(ip, out _))
        {
            errors.Add($"{AdvertisedIPAddressKey}: \"{ip}\" is not an IP address");
        }
        if (configuration[AdvertisedIPAddressKey] is { Length: > 0 } && configuration[AdvertisedHostKey] is { Length: > 0 })
        {
            errors.Add($"{AdvertisedHostKey}: set either it or {AdvertisedIPAddressKey}, not both");
        }
        return errors;
    }

    /// <summary>Resolves <see cref="AdvertisedHostKey"/>, when set, to the IPv4 address the silo advertises.</summary>
    public static IPAddress? ResolveAdvertisedHost(IConfiguration configuration)
    {
        if (configuration[AdvertisedHostKey] is not { Length: > 0 } host) return null;
        if (IPAddress.TryParse(host, out var ip)) return ip;
        IPAddress[] addresses;
        try
        {
            addresses = Dns.GetHostAddresses(host);
        }
        catch (SocketException ex)
        {
            throw new InvalidOperationException($"{AdvertisedHostKey}: cannot resolve \"{host}\": {ex.Message}", ex);
        }
        return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
            ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException($"{AdvertisedHostKey}: \"{host}\" has no addresses");
    }

    /// <summary>What Orleans' own configuration loading leaves out.</summary>
    public static void Apply(IServiceCollection services, IConfiguration configuration, IPAddress? advertised)
    {
        // Failure detection (probe timeout, missed probes, votes) is Orleans' ClusterMembershipOptions.
        services.Configure<ClusterMembershipOptions>(configuration.GetSection(MembershipSection));

        foreach (var storage in configuration.GetSection(GrainStorageSection).GetChildren().Where(IsRedis))
        {
            var options = services.AddOptions<RedisStorageOptions>(storage.Key);
            // A source's journal entries are dropped after compaction: clearing must delete the key, not leave it empty.
            options.Configure(o => o.DeleteStateOnClear = true);
            // The provider's default JSON serializer cannot rebuild the model's immutable collections; the Orleans
            // serializer (every stored type is [GenerateSerializer]) can, and is smaller. A SerializerKey still wins.
            if (string.IsNullOrWhiteSpace(storage["SerializerKey"]))
            {
                options.Configure<Serializer>((o, serializer) => o.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
            }
        }

        if (configuration[AdvertisedIPAddressKey] is { Length: > 0 } text && IPAddress.TryParse(text, out var ip))
        {
            services.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = ip);
        }
        else if (advertised is not null)
        {
            services.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = advertised);
        }
    }

    private static bool IsRedis(IConfigurationSection section) =>
        string.Equals(section["ProviderType"], Redis, StringComparison.OrdinalIgnoreCase);

    private static void CheckProvider(IConfigurationSection section, string otherwise, List<string> errors)
    {
        if (!section.Exists()) return;
        var type = section["ProviderType"];
        if (string.IsNullOrWhiteSpace(type))
        {
            errors.Add(
                $"{section.Path}:ProviderType: must be {Redis} when {section.Path} has settings (remove the section for {otherwise})");
            return;
        }
        if (!IsRedis(section))
        {
            errors.Add($"{section.Path}:ProviderType: must be {Redis} (or unset, for {otherwise}), got \"{type}\"");
            return;
        }
        var connection = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connection))
        {
            errors.Add($"{section.Path}:ConnectionString: must be set to the Redis server, e.g. \"redis:6379\"");
            return;
        }
        try
        {
            var options = ConfigurationOptions.Parse(connection);
            if (options.EndPoints.Count == 0) errors.Add($"{section.Path}:ConnectionString: \"{connection}\" names no Redis server");
        }
        catch (ArgumentException ex)
        {
            errors.Add($"{section.Path}:ConnectionString: {ex.Message}");
        }
    }
}
