using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>A bounded load run: 8 sources × 10,000 mixed operations, 20 subscribers, ending identical to the model.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LoadTests(ClusterFixture fixture)
{
    private const int SourceCount = 8, OperationsPerSource = 10_000, Subscribers = 20;

    [Fact]
    public async Task Eight_sources_of_mixed_operations_leave_twenty_subscribers_identical_to_the_model()
    {
        var prefix = fixture.NewPrefix();
        var serviceViews = Enumerable.Range(0, Subscribers / 2).Select(_ => new ServiceConfig(fixture.Client)).ToList();
        var endpointViews = Enumerable.Range(0, Subscribers / 2).Select(_ => new EndpointsConfig(fixture.Client)).ToList();
        try
        {
            await Task.WhenAll(serviceViews.Select(v => v.WaitForSyncAsync()).Concat(endpointViews.Select(v => v.WaitForSyncAsync())));

            // Each source is its own history; the model of the union is theirs together.
            var models =
                await Task.WhenAll(Enumerable.Range(0, SourceCount).Select(s => Task.Run(() => RunSource($"{prefix}{s}", seed: s))));
            var model = new UnionModel();
            foreach (var (source, steps) in models)
            {
                foreach (var step in steps) model.Apply(source, step.Endpoints, step.Op, Contents(step));
            }

            bool Mine(string source) => source.StartsWith(prefix, StringComparison.Ordinal);
            var expectedServices = model.Union(false, Mine);
            var expectedEndpoints = model.Union(true, Mine);
            Assert.NotEmpty(expectedServices);
            foreach (var view in serviceViews)
            {
                await Eventually.Until(() =>
                    View(view.Config(), Mine).SequenceEqual(expectedServices), timeout: TimeSpan.FromSeconds(60), what:
                    "a service subscriber to match the model");
            }
            foreach (var view in endpointViews)
            {
                await Eventually.Until(() =>
                    View(view.Config(), Mine).SequenceEqual(expectedEndpoints), timeout: TimeSpan.FromSeconds(60), what:
                    "an endpoints subscriber to match the model");
            }
        }
        finally
        {
            foreach (var view in serviceViews) await view.DisposeAsync();
            foreach (var view in endpointViews) await view.DisposeAsync();
        }
    }

    private async Task<(string Source, List<ModelOperation> Steps)> RunSource(string source, int seed)
    {
        var random = new Random(seed);
        var grain = fixture.Client.GetSource(source);
        var steps = new List<ModelOperation>(OperationsPerSource);
        for (var i = 0; i < OperationsPerSource; i++)
        {
            var roll = random.Next(100);
            var (op, count) =
                roll < 60 ? (Operation.Add, random.Next(1, 4)) : roll < 90 ? (Operation.Remove, random.Next(1, 3))
                : (Operation.Set, random.Next(0, 40));
            var items = Enumerable.Range(0, count)
                .Select(_ => (Namespace: random.Next(2) == 0 ? "x" : "y", Name: $"n{random.Next(200)}", Variant: random.Next(1, 4)))
                .DistinctBy(item => (item.Namespace, item.Name))
                .ToArray();
            var step = new ModelOperation(source, Endpoints: random.Next(2) == 0, op, items, Restart: false);
            var result = await grain.Apply(step.ToUpdate());
            Assert.True(result.Accepted, string.Join("; ", result.Errors));
            steps.Add(step);
        }
        return (source, steps);
    }

    private static IEnumerable<(ObjectKey, string)> Contents(ModelOperation step) =>
        step.Items.Select(i => (new ObjectKey(i.Namespace, i.Name), step.Endpoints ? $"10.0.0.{i.Variant}" : $"{8000 + i.Variant}"));

    private static string[] View<T>(IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> config, Func<string, bool> mine)
        where T : IConfigItem =>
        [.. config.Where(s => mine(s.Key)).SelectMany(s => s.Value.Values)
            .OrderBy(i => i.Metadata.Namespace, StringComparer.Ordinal).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
                .ThenBy(i => i.Source(), StringComparer.Ordinal)
            .Select(i => $"{i.Key()}@{i.Source()}={ModelOperation.Content(i)}")];
}
