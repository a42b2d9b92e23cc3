using System.Diagnostics;
using dotnet_etcd;
using Etcdserverpb;
using Google.Protobuf;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.IntegrationTests.Etcd;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// etcd put → a handler called with it, against etcd put → a raw dotnet-etcd watch seeing it, in the same run.
/// </summary>
internal static class EtcdScenario
{
    private const string Prefix = "/registry/services";

    public static async Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var puts = options.Size(500, 100);
        await using var etcd = new EtcdServer();
        await etcd.InitializeAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Sources:Etcd:Endpoints"] = etcd.Endpoint })
            .Build();
        BenchCluster.ConfigureSiloServices = services => services.AddEtcdConfigSource(configuration);
        try
        {
            await using var cluster = await BenchCluster.Start(1);
            var handler = new CountingHandler<Service>();
            await using var config = new ServiceConfig(cluster.Client);
            config.RegisterHandler(handler.OnUpdate);
            await config.WaitForSyncAsync();

            var rawSeen = new RawWatch();
            using var watchCancel = new CancellationTokenSource();
            var watching = rawSeen.Run(etcd.Client, Prefix + "/", watchCancel.Token);
            // A put made before etcd has created the watch would never reach it.
            await rawSeen.Created.WaitAsync(TimeSpan.FromSeconds(30));

            var raw = new List<double>(puts);
            var ours = new List<double>(puts);
            const int warmup = 20;
            for (var i = 0; i < warmup + puts; i++)
            {
                var name = $"e{i}";
                var json = Manifest.ToJson(Fixtures.Service(name));
                var handlerSaw = handler.WhenCount(i + 1);
                var watchSaw = rawSeen.WhenKey($"{Prefix}/specs/default/{name}");
                var start = Stopwatch.GetTimestamp();
                await etcd.Client.PutAsync($"{Prefix}/specs/default/{name}", json);
                var watchEnd = await watchSaw.WaitAsync(TimeSpan.FromSeconds(30));
                var handlerEnd = await handlerSaw.WaitAsync(TimeSpan.FromSeconds(30));
                if (i < warmup) continue;
                raw.Add(Stopwatch.GetElapsedTime(start, watchEnd).TotalMilliseconds);
                ours.Add(Stopwatch.GetElapsedTime(start, handlerEnd).TotalMilliseconds);
            }
            await watchCancel.CancelAsync();
            results.Add("etcd_p50_ms", Stats.Median(ours), "ms", null, $"etcd put -> ServiceConfig handler, {puts} sequential puts");
            results.Add("etcd_raw_watch_p50_ms", Stats.Median(raw), "ms", null, "etcd put -> a raw dotnet-etcd watch, same puts");
            results.Add("etcd_overhead_ratio", Stats.Median(ours) / Stats.Median(raw), "ratio", "<= 3");
            try
            {
                await watching;
            }
            catch (Exception)
            {
                // The raw watch ends by cancellation.
            }
        }
        finally
        {
            BenchCluster.ConfigureSiloServices = null;
        }
    }

    private sealed class RawWatch
    {
        private readonly Lock _lock = new();
        private readonly TaskCompletionSource _created = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private string? _key;
        private TaskCompletionSource<long>? _seen;

        public Task Created => _created.Task;

        public Task<long> WhenKey(string key)
        {
            lock (_lock)
            {
                _key = key;
                _seen = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _seen.Task;
            }
        }

        /// <summary>One plain gRPC watch of the prefix, as any etcd client would hold it.</summary>
        public async Task Run(EtcdClient client, string prefix, CancellationToken cancellationToken)
        {
            using var call = client.GetConnection().WatchClient.Watch(cancellationToken: cancellationToken);
            var key = ByteString.CopyFromUtf8(prefix);
            await call.RequestStream.WriteAsync(new WatchRequest
            {
                CreateRequest = new WatchCreateRequest { Key = key, RangeEnd = EtcdClient.GetRangeEnd(key) },
            }, cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken)) OnResponse(call.ResponseStream.Current);
        }

        private void OnResponse(WatchResponse response)
        {
            var now = Stopwatch.GetTimestamp();
            if (response.Created) _created.TrySetResult();
            lock (_lock)
            {
                if (response.Events.Any(e => e.Kv.Key.ToStringUtf8() == _key)) _seen?.TrySetResult(now);
            }
        }
    }
}
