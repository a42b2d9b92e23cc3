using System.Net;
using OrleansConfig.Client;

namespace OrleansConfig.Proxy;

/// <summary>
/// The original proxy's round-robin load balancer: per service port, the ready backends in a fixed order, handed out
/// one after another. The rotation remembers the last backend it gave, not an index, so a change of backends
/// continues with the next one still there (a removal mid-rotation skips nothing and repeats nothing). With
/// <c>ClientIP</c> affinity a client keeps its backend while it keeps connecting within the timeout.
/// Thread-safe; every call is short and under one lock.
/// </summary>
internal sealed class LoadBalancerRR(TimeProvider? time = null)
{
    private const int PruneEvery = 1024;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private readonly Dictionary<ServicePortName, PortState> _ports = [];

    /// <summary>Sets a port's backends (any order, duplicates ignored) and affinity; an empty list leaves the port with
    /// no backend.</summary>
    public void Update(ServicePortName port, IEnumerable<IPEndPoint> backends, SessionAffinity affinity)
    {
        var sorted = backends.Distinct().Order(EndPointOrder.Instance).ToArray();
        lock (_lock)
        {
            if (!_ports.TryGetValue(port, out var state))
            {
                _ports.Add(port, new PortState(sorted, affinity));
                return;
            }
            state.Backends = sorted;
            if (!affinity.ByClientIP || !state.Affinity.ByClientIP) state.Clients.Clear();
            state.Affinity = affinity;
            state.Prune(_time);
        }
    }

    /// <summary>Forgets a port: it has no backend until it is updated again.</summary>
    public void Remove(ServicePortName port)
    {
        lock (_lock) _ports.Remove(port);
    }

    /// <summary>A port's backends in rotation order (empty for an unknown port).</summary>
    public IReadOnlyList<IPEndPoint> Backends(ServicePortName port)
    {
        lock (_lock) return _ports.TryGetValue(port, out var state) ? state.Backends : [];
    }

    /// <summary>Client IPs holding an affinity entry on a port (expired ones may linger until pruned).</summary>
    public int AffinityCount(ServicePortName port)
    {
        lock (_lock) return _ports.TryGetValue(port, out var state) ? state.Clients.Count : 0;
    }

    /// <summary>
    /// The backend for the next connection from <paramref name="client"/>, never one in <paramref name="tried"/>
    /// (the backends this connection already failed to reach); null when none is left.
    /// </summary>
    public IPEndPoint? Next(ServicePortName port, IPAddress? client, IReadOnlySet<IPEndPoint>? tried = null)
    {
        lock (_lock)
        {
            if (!_ports.TryGetValue(port, out var state) || state.Backends.Length == 0) return null;
            var now = _time.GetTimestamp();
            var sticky = state.Affinity.ByClientIP && client is not null;

            if (sticky && state.Clients.TryGetValue(client!, out var held))
            {
                var usable = _time.GetElapsedTime(held.LastUsed, now) < state.Affinity.Timeout
                    && Array.BinarySearch(state.Backends, held.Backend, EndPointOrder.Instance) >= 0
                    && tried?.Contains(held.Backend) != true;
                if (usable)
                {
                    held.LastUsed = now;
                    return held.Backend;
                }
                state.Clients.Remove(client!);
            }

            var chosen = state.NextInRotation(tried);
            if (chosen is null) return null;
            state.Last = chosen;
            if (sticky)
            {
                state.Clients[client!] = new AffinityEntry(chosen, now);
                if (++state.PicksSincePrune >= PruneEvery) state.Prune(_time);
            }
            return chosen;
        }
    }

    private sealed class PortState(IPEndPoint[] backends, SessionAffinity affinity)
    {
        public IPEndPoint[] Backends { get; set; } = backends;

        public SessionAffinity Affinity { get; set; } = affinity;

        public IPEndPoint? Last { get; set; }

        public Dictionary<IPAddress, AffinityEntry> Clients { get; } = [];

        public int PicksSincePrune { get; set; }

        /// <summary>The first backend after <see cref="Last"/> in order (wrapping) that was not tried.</summary>
        public IPEndPoint? NextInRotation(IReadOnlySet<IPEndPoint>? tried)
        {
            var start = 0;
            if (Last is not null)
            {
                var at = Array.BinarySearch(Backends, Last, EndPointOrder.Instance);
                start = at >= 0 ? at + 1 : ~at;
            }
            for (var i = 0; i < Backends.Length; i++)
            {
                var candidate = Backends[(start + i) % Backends.Length];
                if (tried?.Contains(candidate) != true) return candidate;
            }
            return null;
        }

        /// <summary>Drops affinity entries that expired or whose backend is gone.</summary>
        public void Prune(TimeProvider time)
        {
            PicksSincePrune = 0;
            if (Clients.Count == 0) return;
            var now = time.GetTimestamp();
            List<IPAddress>? stale = null;
            foreach (var (client, entry) in Clients)
            {
                if (time.GetElapsedTime(entry.LastUsed, now) >= Affinity.Timeout
                    || Array.BinarySearch(Backends, entry.Backend, EndPointOrder.Instance) < 0)
                {
                    (stale ??= []).Add(client);
                }
            }
            foreach (var client in stale ?? []) Clients.Remove(client);
        }
    }

    private sealed class AffinityEntry(IPEndPoint backend, long lastUsed)
    {
        public IPEndPoint Backend { get; } = backend;

        public long LastUsed { get; set; } = lastUsed;
    }
}
