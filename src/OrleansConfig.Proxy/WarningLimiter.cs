using System.Collections.Concurrent;

namespace OrleansConfig.Proxy;

/// <summary>
/// At most one warning of each kind per listener per interval, so a flood of connections cannot flood the log;
/// the next warning let through says how many were held back.
/// </summary>
internal sealed class WarningLimiter(TimeSpan interval, TimeProvider time)
{
    private readonly ConcurrentDictionary<(ServicePortName Name, int Kind), Slot> _slots = new();

    /// <summary>True when this warning may be logged; <paramref name="suppressed"/> is then how many were held back
    /// since the last one.</summary>
    public bool TryWarn(ServicePortName name, int kind, out long suppressed)
    {
        var slot = _slots.GetOrAdd((name, kind), static _ => new Slot());
        var now = time.GetTimestamp();
        lock (slot)
        {
            if (slot.Logged && time.GetElapsedTime(slot.LastLogged, now) < interval)
            {
                slot.Suppressed++;
                suppressed = 0;
                return false;
            }
            suppressed = slot.Suppressed;
            slot.Suppressed = 0;
            slot.Logged = true;
            slot.LastLogged = now;
            return true;
        }
    }

    /// <summary>Forgets a listener that is gone.</summary>
    public void Forget(ServicePortName name)
    {
        foreach (var key in _slots.Keys)
        {
            if (key.Name == name) _slots.TryRemove(key, out _);
        }
    }

    private sealed class Slot
    {
        public bool Logged;
        public long LastLogged;
        public long Suppressed;
    }
}
