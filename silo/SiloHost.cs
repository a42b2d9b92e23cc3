using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime;
using OrleansConfig.Silo.Http;
using OrleansConfig.Silo.Security;
using OrleansConfig.Validation;
using StackExchange.Redis;

namespace OrleansConfig.Silo;

/// <summary>The OrleansConfig silo: Orleans, the grains, and the sources its configuration enables.</summary>
internal static class SiloHost
{
    public const string DefaultClusterId = "orleans-config";
    public const string DefaultServiceId = "orleans-config";
    public const string ClientDropTimeoutKey = "Orleans:Messaging:ClientDropTimeout";
    public static readonly TimeSpan DefaultClientDropTimeout = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder CreateBuilder(string[] args)
    {
        // appsettings.json ships beside the binary, so the silo finds it from any working directory.
        // A web host only when given urls to serve (--urls); otherwise no HTTP at all.
        var builder = SiloHttp.CreateBuilder(args, AppContext.BaseDirectory);
        var configuration = builder.Configuration;
        var clusterId = NonEmpty(configuration["Orleans:ClusterId"]) ?? DefaultClusterId;
        var serviceId = NonEmpty(configuration["Orleans:ServiceId"]) ?? DefaultServiceId;
        // Checked before Orleans loads the providers those keys name, so a mistake names its key.
        List<string> errors =
            [.. ClusterSettings.Check(configuration), .. MembershipSettings.Check(configuration), .. LimitSettings.Check(configuration),
            .. HttpSettings.Check(configuration),
            .. FieldValidationSettings.Check(configuration), .. SourceLifetimeSettings.Check(configuration)];
        if (errors.Count > 0) throw new SettingsException(errors);
        var advertised = ClusterSettings.ResolveAdvertisedHost(configuration);
        var certificates = SiloSecurity.LoadCertificates(configuration);

        // Orleans reads its own keys (Orleans:ClusterId, Orleans:Endpoints, Orleans:Clustering:ProviderType,
        // Orleans:GrainStorage:NAME:ProviderType, ...) and loads the Redis providers they name; without a
        // clustering provider the silo runs as a single-host cluster on loopback, with in-memory storage.
        builder.UseOrleans(silo =>
        {
            if (!ClusterSettings.HasClustering(configuration))
            {
                silo.UseLocalhostClustering(
                    configuration.GetValue("Orleans:Endpoints:SiloPort", EndpointOptions.DEFAULT_SILO_PORT),
                    configuration.GetValue("Orleans:Endpoints:GatewayPort", EndpointOptions.DEFAULT_GATEWAY_PORT),
                    serviceId: serviceId,
                    clusterId: clusterId);
            }
            if (ClusterSettings.HasClustering(configuration))
            {
                // The aggregator's directory entry in Redis too: the death of another silo then leaves it running.
                silo.AddRedisGrainDirectory(OrleansConfigSilo.AggregatorDirectoryName, options =>
                    options.ConfigurationOptions =
                        ConfigurationOptions.Parse(configuration[$"{ClusterSettings.ClusteringSection}:ConnectionString"]!));
            }
            silo.AddOrleansConfig(options => configuration.GetSection("OrleansConfig").Bind(options));
            SiloSecurity.Apply(silo, configuration, certificates);
            SiloHttp.ConfigureSilo(silo, configuration);
        });
        ClusterSettings.Apply(builder.Services, configuration, advertised);
        // A gateway keeps a disconnected client's messages until it drops the client (Orleans: after 1 to 2 minutes),
        // and meanwhile holds every answer a grain on its silo makes to that client, even one the client could take
        // through another gateway. Every call OrleansConfig makes can be made again, so let go soon.
        builder.Services.Configure<SiloMessagingOptions>(options => options.ClientDropTimeout =
            configuration.GetValue(ClientDropTimeoutKey, DefaultClientDropTimeout));
        builder.Services.PostConfigure<ClusterOptions>(options =>
        {
            options.ClusterId = NonEmpty(options.ClusterId) ?? clusterId;
            options.ServiceId = NonEmpty(options.ServiceId) ?? serviceId;
        });

        // Each source runs when its enabling key is set (Sources:File:Path, Sources:Etcd:Endpoints, Sources:Api:Server).
        FieldValidationSettings.Apply(builder.Services, configuration);
        builder.Services.AddFileConfigSource(configuration);
        builder.Services.AddEtcdConfigSource(configuration);
        builder.Services.AddApiConfigSource(configuration);

        LimitSettings.Apply(builder.Services, configuration);
        SourceLifetimeSettings.Apply(builder.Services, configuration);
        SubscriberSettings.Apply(builder.Services, configuration);
        builder.Services.AddHostedService<SiloBanner>();
        WatchdogStartFilter.Add(builder);
        SiloHttp.AddServices(builder);
        return builder;
    }

    /// <summary>Runs the silo until Ctrl+C or SIGTERM. Exit code 0 after a clean stop, 1 when it could not start.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        IHost host;
        try
        {
            var builder = CreateBuilder(args);
            host = SiloHttp.Build(builder);
            // Checked before anything starts, so a bad setting stops the silo with only its message.
            host.Services.GetService<IStartupValidator>()?.Validate();
            var endpoints = host.Services.GetRequiredService<IOptions<EndpointOptions>>().Value;
            var tls = host.Services.GetRequiredService<IOptions<OrleansConfig.Security.AccessOptions>>().Value.RequireIdentity;
            var refused = SiloSecurity.CheckListening(builder.Configuration, endpoints, tls);
            if (refused.Count == 0) refused = PortCheck.FindTaken(builder.Configuration);
            if (refused.Count > 0)
            {
                host.Dispose();
                foreach (var message in refused) Console.Error.WriteLine($"error: {message}");
                return 1;
            }
        }
        catch (Exception ex) when (
            ex is SettingsException or OptionsValidationException or InvalidOperationException
                or OrleansConfigurationException or FormatException)
        {
            return Fail(ex);
        }

        using (host)
        {
            try
            {
                await host.RunAsync();
                return 0;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                return Fail(ex);
            }
        }
    }

    private static int Fail(Exception ex)
    {
        var messages = ex switch
        {
            OptionsValidationException validation => validation.Failures,
            SettingsException settings => settings.Errors,
            _ => [ex.Message],
        };
        foreach (var message in messages) Console.Error.WriteLine($"error: {message}");
        return 1;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
