using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Messaging;

namespace OrleansConfig.Client;

/// <summary>
/// What a client of the OrleansConfig silo gets without settings of its own: the silo's cluster id and, without any
/// clustering, its gateway on loopback. Whatever configuration or code says wins.
/// </summary>
internal static class ClientDefaults
{
    public const string GatewayVariable = "ORLEANS_CONFIG_GATEWAY";

    public static void Apply(IClientBuilder builder, OrleansConfigClientOptions options)
    {
        var configuration = builder.Configuration;
        var clusterId = options.ClusterId ?? OrleansConfigClientOptions.DefaultClusterId;
        var serviceId = options.ServiceId ?? options.ClusterId ?? OrleansConfigClientOptions.DefaultClusterId;
        var configuredClusterId = !string.IsNullOrWhiteSpace(configuration["Orleans:ClusterId"]);
        var configuredServiceId = !string.IsNullOrWhiteSpace(configuration["Orleans:ServiceId"]);
        // Orleans' own default ids ("default") never match an OrleansConfig silo; ids set by configuration or code stay.
        builder.Services.PostConfigure<ClusterOptions>(o =>
        {
            if (!configuredClusterId && o.ClusterId == ClusterOptions.DefaultClusterId) o.ClusterId = clusterId;
            if (!configuredServiceId && o.ServiceId == ClusterOptions.DefaultServiceId) o.ServiceId = serviceId;
        });

        if (!configuration.GetSection("Orleans:Clustering").Exists())
        {
            var gateways = options.Gateways.Count > 0
                ? options.Gateways
                : configuration[GatewayVariable] is { Length: > 0 } listed
                    ? listed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    : [OrleansConfigClientOptions.DefaultGateway];
            var endpoints = gateways.Select(Parse).ToList();
            // Added only if no clustering is registered yet; one registered later (UseStaticClustering, UseRedisClustering) wins.
            builder.Services.TryAddSingleton<IGatewayListProvider, StaticGatewayListProvider>();
            builder.Services.PostConfigure<StaticGatewayListProviderOptions>(o =>
            {
                if (o.Gateways.Count == 0) o.Gateways = [.. endpoints.Select(e => e.ToGatewayUri())];
            });
        }

        // The filter that was registered (Orleans' default retries forever) still decides for every other failure.
        var previous = builder.Services.LastOrDefault(d => d.ServiceType == typeof(IClientConnectionRetryFilter));
        if (previous is not null) builder.Services.Remove(previous);
        builder.Services.AddSingleton<IClientConnectionRetryFilter>(sp =>
            new ClusterIdCheck(previous is null ? null : Create(sp, previous)));
    }

    private static IClientConnectionRetryFilter Create(IServiceProvider services, ServiceDescriptor descriptor) =>
        (IClientConnectionRetryFilter)(descriptor.ImplementationInstance
            ?? descriptor.ImplementationFactory?.Invoke(services)
            ?? ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!));

    private static IPEndPoint Parse(string gateway)
    {
        if (!GatewayAddress.TryParse(gateway, out var address, out var error))
        {
            throw new ArgumentException($"{GatewayVariable} or Gateways: {error}");
        }
        return address.ResolveAsync(CancellationToken.None).GetAwaiter().GetResult()
            ?? throw new ArgumentException($"{GatewayVariable} or Gateways: host \"{address.Host}\" has no addresses");
    }
}
