using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Security;

/// <summary>
/// The certificate identities of outside clients: those connected to this silo's gateway (bound when they connect),
/// and those of other gateways, looked up in <see cref="IClientIdentityGrain"/> and kept briefly.
/// </summary>
internal sealed partial class ClientIdentities(IServiceProvider services, TimeProvider time, ILogger<ClientIdentities> logger) : IDisposable
{
    // Shorter than the identity grain's collection age, so a cached answer never outlives the binding it came from.
    internal static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan RebindEvery = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<GrainId, Connected> _connected = new();
    private readonly ConcurrentDictionary<GrainId, (string Identity, long Expires)> _cache = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _rebinding;

    private IGrainFactory Grains => services.GetRequiredService<IGrainFactory>();

    /// <summary>Records a connection of <paramref name="client"/> with <paramref name="identity"/>; false when the id
    /// belongs to another identity.</summary>
    public async Task<bool> Bind(GrainId client, string identity)
    {
        var entry = _connected.AddOrUpdate(client, _ => new Connected(identity, 1), (_, e) => e with { Connections = e.Connections + 1 });
        if (entry.Identity != identity || !await Grains.GetGrain<IClientIdentityGrain>(client.ToString()).Bind(identity))
        {
            Release(client);
            return false;
        }
        if (Interlocked.Exchange(ref _rebinding, 1) == 0) _ = RebindLoop();
        return true;
    }

    public void Release(GrainId client)
    {
        while (_connected.TryGetValue(client, out var entry))
        {
            var updated = entry with { Connections = entry.Connections - 1 };
            if (updated.Connections > 0 ? _connected.TryUpdate(client, updated, entry) : _connected.TryRemove(new(client, entry))) return;
        }
    }

    /// <summary>The identity <paramref name="client"/> connected with, or null when no gateway knows it.</summary>
    public async ValueTask<string?> Resolve(GrainId client)
    {
        if (_connected.TryGetValue(client, out var local)) return local.Identity;
        var now = time.GetTimestamp();
        if (_cache.TryGetValue(client, out var cached) && cached.Expires > now) return cached.Identity;
        var identity = await Grains.GetGrain<IClientIdentityGrain>(client.ToString()).Get();
        if (identity is not null) _cache[client] = (identity, now + (long)(CacheFor.TotalSeconds * time.TimestampFrequency));
        return identity;
    }

    public void Dispose()
    {
        _stopping.Cancel();
        _stopping.Dispose();
    }

    // An identity grain dies with its silo; the gateways that still hold the client's connections bind it again.
    private async Task RebindLoop()
    {
        using var timer = new PeriodicTimer(RebindEvery, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                foreach (var (client, entry) in _connected)
                {
                    try
                    {
                        if (!await Grains.GetGrain<IClientIdentityGrain>(client.ToString()).Bind(entry.Identity))
                        {
                            LogRebindRefused(client, entry.Identity);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        LogRebindFailed(client, ex.Message);
                    }
                }
                foreach (var (client, cached) in _cache)
                {
                    if (cached.Expires <= time.GetTimestamp()) _cache.TryRemove(new(client, cached));
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
    }

    private sealed record Connected(string Identity, int Connections);

    [LoggerMessage(1301, LogLevel.Warning, "Client {Client} connected as {Identity}, but its id is bound to another identity now")]
    private partial void LogRebindRefused(GrainId client, string identity);

    [LoggerMessage(1302, LogLevel.Debug, "Could not bind client {Client} again: {Reason}")]
    private partial void LogRebindFailed(GrainId client, string reason);
}
