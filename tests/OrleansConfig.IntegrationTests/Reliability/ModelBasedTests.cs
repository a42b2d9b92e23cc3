using CsCheck;
using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.Reliability;

/// <summary>
/// Random histories of Set/Add/Remove over several sources, with grain restarts mixed in, must leave every
/// subscriber holding exactly what a plain model of the original semantics holds.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ModelBasedTests(ClusterFixture fixture)
{
    private static readonly string[] Sources = ["a", "b", "c"];

    private static readonly Gen<(string, string, int)> Item =
        Gen.Select(Gen.OneOf("x", "y"), Gen.OneOf("n0", "n1", "n2", "n3", "n4"), Gen.Int[1, 3]);

    private static readonly Gen<ModelOperation> Operation = Gen.Frequency(
        (20, Gen.Select(Gen.OneOf(Sources), Gen.Bool,
            Gen.OneOf(OrleansConfig.Operation.Add, OrleansConfig.Operation.Remove, OrleansConfig.Operation.Set), Item.Array[0, 4])
            .Select((source, endpoints, op, items) => new ModelOperation(source, endpoints, op, Distinct(items), Restart: false))),
        (1, Gen.Const(new ModelOperation("", false, OrleansConfig.Operation.Add, [], Restart: true))));

    // A Set or Add carries each key once (a repeated key is refused as invalid, which the model does not describe).
    private static (string, string, int)[] Distinct((string Namespace, string Name, int Variant)[] items) =>
        [.. items.DistinctBy(i => (i.Namespace, i.Name))];

    [Fact]
    public async Task Random_histories_end_with_subscribers_holding_exactly_the_model()
    {
        await using var services = new ServiceConfig(fixture.Client);
        await using var endpoints = new EndpointsConfig(fixture.Client);
        await Task.WhenAll(services.WaitForSyncAsync(), endpoints.WaitForSyncAsync());

        await Operation.Array[1, 25].SampleAsync(async history =>
        {
            var prefix = fixture.NewPrefix();
            var model = new UnionModel();
            foreach (var step in history)
            {
                if (step.Restart)
                {
                    // Deactivates every idle grain: sources come back from their journals.
                    await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
                    continue;
                }
                var result = await fixture.Client.GetSource(prefix + step.Source).Apply(step.ToUpdate());
                Assert.True(result.Accepted, string.Join("; ", result.Errors));
                model.Apply(prefix + step.Source, step.Endpoints, step.Op,
                    step.Items.Select(i =>
                        (new ObjectKey(i.Namespace, i.Name), step.Endpoints ? $"10.0.0.{i.Variant}" : $"{8000 + i.Variant}")));
            }

            bool Mine(string source) => source.StartsWith(prefix, StringComparison.Ordinal);
            string[] View<T>(IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, T>> config) where T : IConfigItem =>
                [.. config.Where(s => Mine(s.Key)).SelectMany(s => s.Value.Values)
                    .OrderBy(i => i.Metadata.Namespace, StringComparer.Ordinal).ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
                        .ThenBy(i => i.Source(), StringComparer.Ordinal)
                    .Select(i => $"{i.Key()}@{i.Source()}={ModelOperation.Content(i)}")];
            await Eventually.Until(() =>
                View(services.Config()).SequenceEqual(model.Union(false, Mine)),
                what: $"services to match the model after {string.Join(" | ", history.Select(h => h.ToString()))}");
            await Eventually.Until(() =>
                View(endpoints.Config()).SequenceEqual(model.Union(true, Mine)), what: "endpoints to match the model");
        }, iter: 25, threads: 1);
    }
}
