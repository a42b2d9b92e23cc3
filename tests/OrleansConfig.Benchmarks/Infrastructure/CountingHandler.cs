using System.Diagnostics;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>A handler that notes when the union it is told first reaches a count.</summary>
internal sealed class CountingHandler<T>
{
    private readonly Lock _lock = new();
    private int _target = int.MaxValue;
    private TaskCompletionSource<long>? _reached;

    public int Count { get; private set; }

    public Task OnUpdate(IReadOnlyList<T> items)
    {
        var now = Stopwatch.GetTimestamp();
        lock (_lock)
        {
            Count = items.Count;
            if (Count >= _target) _reached?.TrySetResult(now);
        }
        return Task.CompletedTask;
    }

    /// <summary>Completes with the timestamp at which the handler saw at least <paramref name="count"/> items.</summary>
    public Task<long> WhenCount(int count)
    {
        lock (_lock)
        {
            _target = count;
            _reached = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (Count >= count) _reached.TrySetResult(Stopwatch.GetTimestamp());
            return _reached.Task;
        }
    }
}
