using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;

namespace OrleansConfig.Cli.Connection;

/// <summary>
/// A started Orleans client for one command. Connecting is bounded: a cluster that cannot be reached is
/// reported (as <see cref="ClusterUnreachableException"/>) within <see cref="ConnectBudget"/> plus a little.
/// </summary>
internal sealed class ClusterConnection : IAsyncDisposable
{
    public static readonly TimeSpan ConnectBudget = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ConnectHardLimit = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan StopLimit = TimeSpan.FromSeconds(3);

    private readonly IHost _host;

    private ClusterConnection(IHost host, string gateways)
    {
        _host = host;
        Gateways = gateways;
    }

    public string Gateways { get; }

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public ILoggerFactory LoggerFactory => _host.Services.GetRequiredService<ILoggerFactory>();

    /// <summary>Connects to <paramref name="gateways"/> (or, when none were given, the environment's or the default).</summary>
    public static async Task<ClusterConnection> ConnectAsync(IReadOnlyList<string> gateways, CancellationToken cancellationToken)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // ORLEANS_CONFIG_GATEWAY, Orleans__ClusterId, Logging__LogLevel__Default, ... from the environment.
        builder.Configuration.AddEnvironmentVariables();
        var configuration = builder.Configuration;

        var addresses = ChooseGateways(gateways, configuration, out var useConfiguredClustering);
        var shown = useConfiguredClustering ? "the configured Orleans clustering" : string.Join(", ", addresses);
        List<IPEndPoint> endpoints = [];
        try
        {
            foreach (var address in addresses) endpoints.Add(await address.ResolveAsync(cancellationToken));
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new ClusterUnreachableException(shown, ex.Message, ex);
        }

        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed connect is reported once, as the command's own error, not as retries and a stack trace.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.OutsideRuntimeClient", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();

        var clusterId = configuration["Orleans:ClusterId"] is { Length: > 0 } id ? id : "orleans-config";
        var serviceId = configuration["Orleans:ServiceId"] is { Length: > 0 } sid ? sid : "orleans-config";
        builder.UseOrleansClient(client =>
        {
            if (!useConfiguredClustering) client.UseStaticClustering([.. endpoints]);
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = ConnectBudget);
            client.UseConnectionRetryFilter(new GiveUpRetryFilter(ConnectBudget, TimeSpan.FromMilliseconds(500)));
            client.AddOrleansConfigClient();
        });

        var host = builder.Build();
        try
        {
            await host.StartAsync(cancellationToken).WaitAsync(ConnectHardLimit, cancellationToken);
            return new ClusterConnection(host, shown);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            host.Dispose();
            throw new ClusterUnreachableException(shown, Reason(ex), ex);
        }
    }

    /// <summary>Whether <paramref name="ex"/>, thrown by a grain call, means the cluster went away.</summary>
    public static bool IsConnectionLoss(Exception ex) =>
        ex is SiloUnavailableException or ConnectionFailedException or OrleansMessageRejectionException or TimeoutException
            or System.Net.Sockets.SocketException;

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(StopLimit);
        try
        {
            await _host.StopAsync(stop.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException || IsConnectionLoss(ex))
        {
            // Leaving anyway: the cluster forgets a client that went away.
        }
        _host.Dispose();
    }

    private static List<GatewayAddress> ChooseGateways(IReadOnlyList<string> given, IConfiguration configuration, out bool useConfiguredClustering)
    {
        useConfiguredClustering = false;
        IEnumerable<string> texts = given;
        if (given.Count == 0)
        {
            var fromEnvironment = configuration[CommonOptions.GatewayVariable];
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                texts = fromEnvironment.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            }
            else if (configuration.GetSection("Orleans:Clustering").Exists())
            {
                // The silo's own clustering settings (Orleans__Clustering__ProviderType, ...) find the gateways.
                useConfiguredClustering = true;
                return [];
            }
            else
            {
                return [GatewayAddress.Default];
            }
        }
        List<GatewayAddress> addresses = [];
        foreach (var text in texts)
        {
            if (!GatewayAddress.TryParse(text, out var address, out var error))
            {
                throw new UsageException($"{CommonOptions.GatewayVariable}: {error}");
            }
            addresses.Add(address);
        }
        return addresses;
    }

    /// <summary>The most telling line of a failed connect: the socket's own error when there is one.</summary>
    public static string Reason(Exception ex)
    {
        if (ex is TimeoutException) return $"no answer within {ConnectHardLimit.TotalSeconds:0} s";
        var chain = new List<Exception>();
        for (var e = ex; e is not null; e = e.InnerException) chain.Add(e);
        var socket = chain.FirstOrDefault(e => e is System.Net.Sockets.SocketException || e.GetType().Name == "SocketConnectionException");
        return (socket ?? chain[0]).Message.Split('\n')[0].Trim();
    }
}
