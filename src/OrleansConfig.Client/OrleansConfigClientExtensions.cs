using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;
using OrleansConfig.Client;

namespace OrleansConfig;

public static class OrleansConfigClientExtensions
{
    /// <summary>Registers what a client needs to follow the union: the union stream's provider and reconnect events.</summary>
    public static IClientBuilder AddOrleansConfigClient(this IClientBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // Idempotent: a second call would register the stream provider and the connection handlers twice.
        if (builder.Services.Any(d => d.ServiceType == typeof(ClusterConnectionEvents))) return builder;

        builder.Services.TryAddSingleton<ClusterConnectionEvents>();
        // A client only subscribes: the silos' pulling agents deliver to it, so any persistent-stream provider
        // of that name will do here; the silos run the union's own waiting queue (OrleansConfigSilo).
        builder.AddMemoryStreams(UnionStream.ProviderName);
        builder.AddClusterConnectionLostHandler(sp =>
        {
            var events = sp.GetRequiredService<ClusterConnectionEvents>();
            return (_, _) => events.OnConnectionLost();
        });
        builder.AddGatewayCountChangedHandler(sp =>
        {
            var events = sp.GetRequiredService<ClusterConnectionEvents>();
            return (_, e) => events.OnGatewayCountChanged(e.NumberOfConnectedGateways, e.PreviousNumberOfConnectedGateways);
        });
        return builder;
    }
}
