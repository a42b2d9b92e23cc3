using System.Net.Security;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Configuration;

namespace OrleansConfig.Sources.Etcd;

/// <summary><see cref="IEtcdStore"/> over dotnet-etcd: paged ranged reads and one raw watch stream.</summary>
internal sealed class EtcdClientStore : IEtcdStore
{
    private readonly EtcdClient _client;
    private readonly TimeSpan _requestTimeout;
    private readonly int _pageSize;

    private EtcdClientStore(EtcdClient client, TimeSpan requestTimeout, int pageSize)
    {
        _client = client;
        _requestTimeout = requestTimeout;
        _pageSize = pageSize;
    }

    public static EtcdClientStore Create(EtcdSourceOptions options)
    {
        var urls = options.EndpointList;
        var hosts = urls.Select(u => new Uri(u).Host).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        var connection = string.Join(',', urls);
        void Channel(GrpcChannelOptions channel)
        {
            // The source retries with its own backoff; gRPC's retries would only hide failures for seconds.
            channel.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
            channel.InitialReconnectBackoff = options.RetryInitialDelay;
            channel.MaxReconnectBackoff = options.RetryMaxDelay;
            channel.MaxReceiveMessageSize = options.MaxResponseBytes;
        }

        var tls = urls.Any(u => u.StartsWith("https://", StringComparison.OrdinalIgnoreCase));
        var client = tls
            ? new EtcdClient(connection, ssl => ConfigureTls(ssl, options, hosts), serverName: hosts[0], configureChannelOptions: Channel)
            : new EtcdClient(connection, serverName: hosts[0], configureChannelOptions: Channel);
        if (!string.IsNullOrEmpty(options.Username)) client.SetCredentials(options.Username, options.Password ?? "");
        return new EtcdClientStore(client, options.RequestTimeout, options.ListPageSize);
    }

    public async Task<EtcdRange> GetRangeAsync(string prefix, long revision, CancellationToken cancellationToken)
    {
        List<EtcdKeyValue> items = [];
        var prefixBytes = ByteString.CopyFromUtf8(prefix);
        var request =
            new RangeRequest { Key = prefixBytes, RangeEnd = EtcdClient.GetRangeEnd(prefixBytes), Revision = revision, Limit = _pageSize };
        while (true)
        {
            var page = request;
            RangeResponse response;
            try
            {
                response = await Call(token => _client.GetAsync(page, cancellationToken: token), "list", cancellationToken);
            }
            catch (EtcdStoreException ex) when (ex.InnerException is RpcException { StatusCode: StatusCode.ResourceExhausted }
                && page.Limit > 1)
            {
                // The page was larger than a response may be: the same page again, half as long.
                request = page.Clone();
                request.Limit = page.Limit / 2;
                continue;
            }
            // Later pages read at the first page's revision, so the whole list is one consistent read.
            if (request.Revision == 0) request.Revision = response.Header.Revision;
            foreach (var kv in response.Kvs) items.Add(new EtcdKeyValue(kv.Key.ToStringUtf8(), kv.Value.Memory, kv.ModRevision));
            if (!response.More || response.Kvs.Count == 0) break;
            request = request.Clone();
            request.Key = ByteString.CopyFrom([.. response.Kvs[^1].Key.Span, 0]);
        }
        return new EtcdRange(items, request.Revision);
    }

    public async IAsyncEnumerable<EtcdWatchResponse> WatchAsync(
        string prefix, long startRevision, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = _client.GetConnection().WatchClient.Watch(cancellationToken: cancellationToken);
        var key = ByteString.CopyFromUtf8(prefix);
        var create = new WatchRequest
        {
            // Fragmented, a response larger than etcd's request limit (a catch-up over many revisions) comes in parts
            // that each fit MaxResponseBytes; they are put together again below.
            CreateRequest =
                new WatchCreateRequest { Key = key, RangeEnd = EtcdClient.GetRangeEnd(key), StartRevision = startRevision,
                Fragment = true },
        };
        try
        {
            await call.RequestStream.WriteAsync(create, cancellationToken);
        }
        catch (RpcException ex)
        {
            throw Wrap(ex, "watch");
        }

        WatchResponse? parts = null;
        while (true)
        {
            WatchResponse response;
            try
            {
                if (!await call.ResponseStream.MoveNext(cancellationToken)) yield break;
                response = call.ResponseStream.Current;
            }
            catch (RpcException ex)
            {
                throw Wrap(ex, "watch");
            }
            if (response.Fragment)
            {
                if (parts is null) parts = response;
                else parts.Events.AddRange(response.Events);
                continue;
            }
            if (parts is not null)
            {
                parts.Events.AddRange(response.Events);
                parts.Header = response.Header;
                (response, parts) = (parts, null);
            }
            yield return Map(response);
        }
    }

    public void Dispose() => _client.Dispose();

    private static EtcdWatchResponse Map(WatchResponse response) => new()
    {
        Created = response.Created,
        Canceled = response.Canceled,
        CancelReason = response.CancelReason,
        CompactRevision = response.CompactRevision,
        HeaderRevision = response.Header?.Revision ?? 0,
        Events = [.. response.Events.Select(e => new EtcdEvent(
            e.Type == Mvccpb.Event.Types.EventType.Delete ? EtcdEventType.Delete : EtcdEventType.Put,
            e.Kv.Key.ToStringUtf8(),
            e.Kv.Value.Memory,
            e.Kv.ModRevision))],
    };

    private async Task<T> Call<T>(Func<CancellationToken, Task<T>> call, string what, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_requestTimeout);
        try
        {
            return await call(timeout.Token);
        }
        catch (RpcException ex)
        {
            throw Wrap(ex, what);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new EtcdStoreException($"{what} timed out after {_requestTimeout.TotalSeconds:0.#} s");
        }
    }

    private static EtcdStoreException Wrap(RpcException ex, string what) =>
        new($"{what} failed: {ex.StatusCode}: {ex.Status.Detail}", ex);

    private static void ConfigureTls(SslClientAuthenticationOptions ssl, EtcdSourceOptions options, string[] hosts)
    {
        if (!string.IsNullOrEmpty(options.CertFile))
        {
            ssl.ClientCertificates = [X509Certificate2.CreateFromPemFile(options.CertFile, options.KeyFile)];
        }
        X509Certificate2Collection? ca = null;
        if (!string.IsNullOrEmpty(options.CaFile))
        {
            ca = [];
            ca.ImportFromPemFile(options.CaFile);
        }
        ssl.RemoteCertificateValidationCallback = (_, certificate, _, errors) => IsTrusted(certificate, errors, ca, hosts);
    }

    // The channel connects to any of the endpoints under one server name, so the certificate must match
    // one of the configured hosts rather than the channel's name; with a CA file, it must chain to that CA.
    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? ca, string[] hosts)
    {
        if (certificate is not X509Certificate2 cert) return false;
        if (!hosts.Any(h => cert.MatchesHostname(h))) return false;
        if (ca is null) return (errors & ~SslPolicyErrors.RemoteCertificateNameMismatch) == SslPolicyErrors.None;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert);
    }
}
