using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using OrleansConfig.Client;
using OrleansConfig.Security;

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

    private const string DefaultId = OrleansConfigClientOptions.DefaultClusterId;
    private static readonly TimeSpan GatewayProbeTimeout = TimeSpan.FromSeconds(1);
    private const string ProviderTypeKey = "Orleans:Clustering:ProviderType";
    private const string ConnectionStringKey = "Orleans:Clustering:ConnectionString";

    private readonly IHost _host;

    private ClusterConnection(IHost host, string gateways)
    {
        _host = host;
        Gateways = gateways;
    }

    public string Gateways { get; }

    public IClusterClient Client => _host.Services.GetRequiredService<IClusterClient>();

    public ILoggerFactory LoggerFactory => _host.Services.GetRequiredService<ILoggerFactory>();

    /// <summary>
    /// Connects as <paramref name="settings"/> say: to the given gateways, else through Redis clustering, else as the
    /// environment says (<c>ORLEANS_CONFIG_GATEWAY</c>, or <c>Orleans__Clustering__*</c> like a silo), else to the default gateway.
    /// </summary>
    public static async Task<ClusterConnection> ConnectAsync(ConnectionSettings settings, CancellationToken cancellationToken)
    {
        ClusterCertificates? certificates = null;
        if (settings.Tls.Any)
        {
            try
            {
                certificates = ClusterCertificates.Load(settings.Tls, ownChainsToCa: false);
            }
            catch (CertificateSettingsException ex)
            {
                throw new UsageException(string.Join(Environment.NewLine + "error: ", ex.Errors));
            }
        }

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        // ORLEANS_CONFIG_GATEWAY, Orleans__ClusterId, Orleans__Clustering__ProviderType, Logging__LogLevel__Default, ... from the
        // environment; only what a client uses, so a silo's environment (its grain storage, say) does not confuse it.
        builder.Configuration.AddInMemoryCollection(ClientSettings(new ConfigurationBuilder().AddEnvironmentVariables().Build()));
        var configuration = builder.Configuration;

        // Orleans' client reads Orleans:Clustering itself (the Redis provider, or its own Static one for a gateway list);
        // the command line's choice is laid over the environment's.
        var clustering = await ChooseClustering(settings, configuration, cancellationToken);
        configuration.AddInMemoryCollection(clustering.Keys);
        var shown = clustering.Shown;

        builder.Logging.AddConfiguration(configuration.GetSection("Logging"));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // A failed connect is reported once, as the command's own error, not as retries and a stack trace.
        builder.Logging.AddFilter("Orleans.Runtime.Messaging", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.OutsideRuntimeClient", LogLevel.Error);
        // With several gateways, one that is down is expected: the client uses the others without a word.
        builder.Logging.AddFilter("Orleans.Messaging", LogLevel.Error);
        builder.Logging.AddFilter("Orleans.Runtime.ClientClusterManifestProvider", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        // A TLS refusal is reported once, as the command's error (Reason), not per attempt with a stack trace.
        builder.Logging.AddFilter("Orleans.Connections.Security", LogLevel.None);
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);

        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();

        var clusterId = settings.ClusterId ?? (configuration["Orleans:ClusterId"] is { Length: > 0 } id ? id : DefaultId);
        var serviceId = settings.ServiceId ?? (configuration["Orleans:ServiceId"] is { Length: > 0 } sid ? sid : DefaultId);
        var retry = new GiveUpRetryFilter(ConnectBudget, TimeSpan.FromMilliseconds(500));
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = clusterId;
                o.ServiceId = serviceId;
            });
            client.Configure<ConnectionOptions>(o => o.OpenConnectionTimeout = ConnectBudget);
            client.UseConnectionRetryFilter(retry);
            if (certificates is not null) client.UseClusterTls(certificates);
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
            throw new ClusterUnreachableException(shown, Reason([ex, .. retry.Failures], certificates is not null), ex);
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

    /// <summary>The settings an Orleans client reads, out of an environment a silo may share.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> ClientSettings(IConfiguration environment)
    {
        string[] prefixes =
            ["Orleans:ClusterId", "Orleans:ServiceId", "Orleans:Clustering:", "Orleans:Messaging:", "Orleans:Gateway:", "Logging:",
            CommonOptions.GatewayVariable];
        return environment.AsEnumerable()
            .Where(kv => kv.Value is not null && prefixes.Any(p => kv.Key.StartsWith(p, StringComparison.OrdinalIgnoreCase)));
    }

    private static async Task<Clustering> ChooseClustering(ConnectionSettings settings, ConfigurationManager configuration,
        CancellationToken cancellationToken)
    {
        if (settings.Gateways.Count > 0 && settings.Redis is not null)
        {
            throw new UsageException("--gateway and --redis: give one or the other");
        }
        if (settings.Gateways.Count > 0)
        {
            return await Static(settings.Gateways, "--gateway", settings.KeepUnreachableGateways, cancellationToken);
        }
        if (settings.Redis is not null) return Redis(settings.Redis, "--redis");

        if (configuration[CommonOptions.GatewayVariable] is { } fromEnvironment && !string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return await Static(fromEnvironment.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                CommonOptions.GatewayVariable, settings.KeepUnreachableGateways, cancellationToken);
        }
        var section = configuration.GetSection(ProviderTypeKey[..ProviderTypeKey.LastIndexOf(':')]);
        if (section.Exists())
        {
            // The silo's own clustering settings (Orleans__Clustering__ProviderType, ...) find the gateways.
            var type = section["ProviderType"];
            if (!string.Equals(type, "Redis", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"{ProviderTypeKey}: must be Redis (or unset, to use gateways), got \"{type}\"");
            }
            return Redis(section["ConnectionString"], ConnectionStringKey);
        }
        return await Static([GatewayAddress.Default.ToString()], "the default gateway", keepUnreachable: true, cancellationToken);
    }

    private static Clustering Redis(string? connectionString, string key)
    {
        if (string.IsNullOrWhiteSpace(connectionString)) throw new UsageException($"{key}: the Redis connection string must not be empty");
        try
        {
            if (StackExchange.Redis.ConfigurationOptions.Parse(connectionString).EndPoints.Count == 0)
            {
                throw new UsageException($"{key}: \"{connectionString}\" names no Redis server");
            }
        }
        catch (ArgumentException ex)
        {
            throw new UsageException($"{key}: {ex.Message}");
        }
        return new Clustering(
            new Dictionary<string, string?> { [ProviderTypeKey] = "Redis", [ConnectionStringKey] = connectionString },
            $"the gateways registered in Redis at {connectionString}");
    }

    private static async Task<Clustering> Static(IEnumerable<string> texts, string from, bool keepUnreachable,
        CancellationToken cancellationToken)
    {
        List<GatewayAddress> addresses = [];
        foreach (var text in texts)
        {
            if (!GatewayAddress.TryParse(text, out var address, out var error)) throw new UsageException($"{from}: {error}");
            addresses.Add(address);
        }
        var shown = string.Join(", ", addresses);
        // Orleans' "Static" clustering provider: the client fails over among these gateways by itself.
        var keys = new Dictionary<string, string?> { [ProviderTypeKey] = "Static", [ConnectionStringKey] = null };
        List<IPEndPoint> endpoints = [];
        try
        {
            foreach (var address in addresses)
            {
                endpoints.Add(await address.ResolveAsync(cancellationToken)
                    ?? throw new ClusterUnreachableException(address.ToString(), $"host \"{address.Host}\" has no addresses"));
            }
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new ClusterUnreachableException(shown, ex.Message, ex);
        }
        if (!keepUnreachable && endpoints.Count > 1)
        {
            // The Orleans client would try a dead gateway too, and wait for it; when some answer, use those.
            var open = await Task.WhenAll(endpoints.Select(e => AcceptsConnection(e, cancellationToken)));
            if (open.Any(o => o)) endpoints = [.. endpoints.Where((_, i) => open[i])];
        }
        for (var i = 0; i < endpoints.Count; i++) keys[$"Orleans:Clustering:Gateways:{i}"] = endpoints[i].ToString();
        return new Clustering(keys, shown);
    }

    private static async Task<bool> AcceptsConnection(IPEndPoint endpoint, CancellationToken cancellationToken)
    {
        using var socket =
            new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream,
            System.Net.Sockets.ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(GatewayProbeTimeout);
        try
        {
            await socket.ConnectAsync(endpoint, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.Sockets.SocketException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }

    private static bool IsClosedDuringHandshake(Exception ex) =>
        ex is System.IO.IOException or Microsoft.AspNetCore.Connections.ConnectionResetException
            or Microsoft.AspNetCore.Connections.ConnectionAbortedException
        || ex.GetType().Name is "ConnectionAbortedException" or "ConnectionResetException"
            || ex.Message.Contains("preamble", StringComparison.OrdinalIgnoreCase)
        || ex.Message.Contains("terminated prematurely", StringComparison.OrdinalIgnoreCase);

    private sealed record Clustering(Dictionary<string, string?> Keys, string Shown);

    /// <summary>The most telling line of a failed connect: the socket's own error when there is one.</summary>
    public static string Reason(Exception ex) => Reason([ex], tls: false);

    /// <summary>The most telling line of several failed attempts to connect: a TLS refusal, else the first failure's reason.</summary>
    private static string Reason(IReadOnlyList<Exception> failures, bool tls)
    {
        var ex = failures[0];
        if (ex is TimeoutException) return $"no answer within {ConnectHardLimit.TotalSeconds:0} s";
        var all = new List<Exception>();
        foreach (var failure in failures)
        {
            for (var e = failure; e is not null; e = e.InnerException) all.Add(e);
        }
        var chain = new List<Exception>();
        for (var e = ex; e is not null; e = e.InnerException) chain.Add(e);
        if (all.FirstOrDefault(e => e is System.Security.Authentication.AuthenticationException) is { } refused)
        {
            return $"TLS refused the connection: {refused.Message.Split('\n')[0].Trim()} (is the gateway's certificate from the CA in " +
                $"--tls-ca, and this client's from the cluster's CA?)";
        }
        if (all.Any(IsClosedDuringHandshake))
        {
            return tls
                ? "TLS refused the connection during the handshake: this client's certificate is not one the cluster trusts, or the " +
                    "gateway's is not from the CA in --tls-ca"
                : "TLS refused the connection: the gateway closed it during the handshake, as one that requires TLS does with a client " +
                    "that has no certificate (give --tls-cert, --tls-key and --tls-ca)";
        }
        var socket = chain.FirstOrDefault(e => e is System.Net.Sockets.SocketException || e.GetType().Name == "SocketConnectionException");
        return (socket ?? chain[0]).Message.Split('\n')[0].Trim();
    }
}

/// <summary>The client host's lifetime is the command's: Ctrl+C and SIGTERM reach the command's cancellation token, not the host.</summary>
internal sealed class CommandLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
