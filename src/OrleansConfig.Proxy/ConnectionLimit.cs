namespace OrleansConfig.Proxy;

/// <summary>A count of connections that refuses to go past its maximum (one per listener, one for the whole proxy).</summary>
internal sealed class ConnectionLimit(int max)
{
    private int _count;

    public int Max { get; } = max;

    public int Count => Volatile.Read(ref _count);

    public bool TryEnter()
    {
        while (true)
        {
            var count = Volatile.Read(ref _count);
            if (count >= Max) return false;
            if (Interlocked.CompareExchange(ref _count, count + 1, count) == count) return true;
        }
    }

    public void Exit() => Interlocked.Decrement(ref _count);
}
