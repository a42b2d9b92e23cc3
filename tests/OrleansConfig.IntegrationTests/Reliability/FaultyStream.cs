using OrleansConfig.Streaming;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// Loses, duplicates and reorders union stream messages at seeded random, counting what it did; a silo gets it
/// through <see cref="FaultyQueueAdapter"/>.
/// </summary>
internal sealed class FaultyStream(int seed, double lose = 0.1, double duplicate = 0.1, double reorder = 0.1)
{
    private readonly Random _random = new(seed);
    private readonly Lock _lock = new();

    public int Lost { get; private set; }
    public int Duplicated { get; private set; }
    public int Reordered { get; private set; }

    public IReadOnlyList<UnionQueueMessage> Apply(IReadOnlyList<UnionQueueMessage> messages)
    {
        lock (_lock)
        {
            var result = new List<UnionQueueMessage>(messages.Count + 2);
            foreach (var message in messages)
            {
                var roll = _random.NextDouble();
                if (roll < lose)
                {
                    Lost++;
                    continue;
                }
                result.Add(message);
                if (roll < lose + duplicate)
                {
                    result.Add(message);
                    Duplicated++;
                }
                else if (roll < lose + duplicate + reorder && result.Count >= 2)
                {
                    (result[^1], result[^2]) = (result[^2], result[^1]);
                    Reordered++;
                }
            }
            return result;
        }
    }
}
