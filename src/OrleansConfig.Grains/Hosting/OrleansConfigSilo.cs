using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Polly.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Diagnostics;
using OrleansConfig.Persistence;
using OrleansConfig.Security;
using OrleansConfig.Streaming;
using OrleansConfig.Subscribers;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>Wires OrleansConfig into a silo: <c>siloBuilder.AddOrleansConfig()</c>.</summary>
public static class OrleansConfigSilo
{
    /// <summary>The grain storage that holds source state (Orleans' default storage name).</summary>
    public const string StorageName = "Default";

    /// <summary>The grain storage that holds stream subscriptions.</summary>
    public const string PubSubStorageName = "PubSubStore";

    /// <summary>A grain directory of this name, when the silo adds one, holds the aggregator's entry.</summary>
    public const string AggregatorDirectoryName = "orleans-config-aggregator";

    /// <summary>
    /// Registers the grains' needs: in-memory storage for <c>Default</c> and <c>PubSubStore</c> unless
    /// another provider is configured, and the union stream.
    /// </summary>
    public static ISiloBuilder AddOrleansConfig(this ISiloBuilder builder, Action<OrleansConfigSiloOptions>? configure = null)
    {
        var options = new OrleansConfigSiloOptions();
        configure?.Invoke(options);
        foreach (var name in new[] { StorageName, PubSubStorageName })
        {
            if (HasStorage(builder.Services, name)) continue;
            builder.AddMemoryGrainStorage(name);
            // Orleans' binary serializer: the default JSON one costs more than everything else on a large change.
            builder.Services.AddOptions<MemoryGrainStorageOptions>(name)
                .Configure<Serializer>((storage, serializer) =>
                    storage.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer));
        }
        // The union stream: in memory like memory streams, but its reads wait at the queue instead of polling it.
        var queueOptions = new UnionQueueOptions { ReadWait = options.StreamReadWait };
        builder.AddPersistentStreams(
            UnionStream.ProviderName,
            (services, name) => new UnionQueueAdapterFactory(
                name, queueOptions, services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<ILoggerFactory>()),
            streams => streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = options.StreamPollInterval;
                // Orleans hands a subscriber one queued event per call by default, so each subscription delivered at most
                // one change per round trip and fell seconds behind under sustained churn; a backlog now goes in one call.
                o.BatchContainerBatchSize = DeliveryBatch;
            })));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMetrics();
        builder.Services.TryAddSingleton<OrleansConfigMetrics>();
        builder.Services.AddOptions<UpdateLimits>();
        builder.Services.AddOptions<SnapshotOptions>();
        builder.Services.AddOptions<JournalOptions>();
        builder.Services.AddOptions<DeletionGuardOptions>();
        builder.Services.AddOptions<ValidationOptions>();
        builder.Services.AddOptions<SourceLifetimeOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SourceLifetimeOptions>, SourceLifetimeOptionsValidator>());
        builder.Services.TryAddSingleton<SourceLivenessMetrics>();
        AddSubscriberRegistry(builder);

        // A watcher killed without unsubscribing would stay subscribed (in PubSubStore) until a change failed to reach it.
        builder.Services.AddSingleton<DroppedClientSubscriptions>();
        builder.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<DroppedClientSubscriptions>());
        // Orleans retries addressing a message to a client that is gone and Polly logs each try as a warning; Orleans
        // itself logs these retries at Debug, and the caller still sees the failure.
        builder.Services.Configure<TelemetryOptions>(telemetry =>
        {
            var previous = telemetry.SeverityProvider;
            telemetry.SeverityProvider = args => args.Source.PipelineName == PlacementPipeline
                ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
        });

        // Clients reach only the public doors; with mutual TLS (SiloTls) they are also known by certificate.
        builder.Services.AddOptions<AccessOptions>();
        builder.Services.TryAddSingleton<ClientIdentities>();
        builder.Services.TryAddSingleton<GatewayGate>();
        builder.Services.AddSingleton<IPostConfigureOptions<SiloConnectionOptions>, GatewayGateSetup>();
        builder.AddIncomingGrainCallFilter<AccessFilter>();
        return builder;
    }

    // Who follows the union: the registry's bounds (validated at start), its metrics, and the filter that names its callers.
    private static void AddSubscriberRegistry(ISiloBuilder builder)
    {
        builder.Services.AddOptions<SubscriberRegistryOptions>().ValidateOnStart();
        builder.Services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<SubscriberRegistryOptions>, SubscriberRegistryOptionsValidator>());
        builder.Services.TryAddSingleton<SubscriberMetrics>();
        builder.AddIncomingGrainCallFilter<SubscriberCallerFilter>();
    }

    /// <summary>Orleans' resilience pipeline for addressing messages (placement).</summary>
    private const string PlacementPipeline = "Orleans.Placement";

    /// <summary>
    /// Union stream events handed to a subscriber in one call, at most. Each subscription gets one call at a time, so this
    /// over the round trip is its most changes per second: 64 gave about 10,000/s at a few ms, the churn target itself.
    /// </summary>
    private const int DeliveryBatch = 1024;

    private static bool HasStorage(IServiceCollection services, string name) =>
        services.Any(d => d.ServiceType == typeof(IGrainStorage) && d.IsKeyedService && Equals(d.ServiceKey, name));
}
