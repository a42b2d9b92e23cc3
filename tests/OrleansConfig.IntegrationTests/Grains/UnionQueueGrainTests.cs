using OrleansConfig.IntegrationTests.Infrastructure;
using OrleansConfig.Streaming;

namespace OrleansConfig.IntegrationTests.Grains;

/// <summary>The union stream's queue, called as the silo's pulling agents call it (an outside client may not).</summary>
[Collection(ClusterCollection.Name)]
public sealed class UnionQueueGrainTests(ClusterFixture fixture)
{
    private static readonly StreamId Stream = StreamId.Create("test", "queue");

    [Fact]
    public async Task Waiting_read_is_answered_by_the_next_enqueue()
    {
        var queue = fixture.SiloGrains.GetGrain<IUnionQueueGrain>(Guid.NewGuid());

        var reading = queue.Dequeue(10, TimeSpan.FromSeconds(30));
        Assert.False(reading.IsCompleted);
        await queue.Enqueue(Stream, ["first"], null);
        var read = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        var message = Assert.Single(read);
        Assert.Equal(["first"], message.Events);
        Assert.Equal(1, message.SequenceNumber);
    }

    [Fact]
    public async Task Read_of_an_empty_queue_returns_nothing_after_its_wait()
    {
        var queue = fixture.SiloGrains.GetGrain<IUnionQueueGrain>(Guid.NewGuid());

        Assert.Empty(await queue.Dequeue(10, TimeSpan.FromMilliseconds(50)));
    }

    [Fact]
    public async Task Messages_are_read_in_order_and_at_most_max_count_at_a_time()
    {
        var queue = fixture.SiloGrains.GetGrain<IUnionQueueGrain>(Guid.NewGuid());
        for (var i = 1; i <= 5; i++) await queue.Enqueue(Stream, [$"e{i}"], null);

        var first = await queue.Dequeue(3, TimeSpan.Zero);
        var rest = await queue.Dequeue(10, TimeSpan.Zero);

        Assert.Equal([1L, 2, 3], first.Select(m => m.SequenceNumber));
        Assert.Equal([4L, 5], rest.Select(m => m.SequenceNumber));
    }
}
