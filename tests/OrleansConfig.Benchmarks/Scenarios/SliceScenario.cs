using System.Diagnostics;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.Sources.Api;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// The API source's EndpointSlice merge alone, in-process: time per slice event (the slice changed, its Service's
/// Endpoints merged again and compared with what was sent) with many Services ÷ with few, and with a Service of many
/// slices ÷ one of two (the cost should follow the Service's slices, not the source's).
/// </summary>
internal static class SliceScenario
{
    public static Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        const int few = 1_000;
        var many = options.Size(50_000, 10_000);
        var events = options.Size(20_000, 2_000);

        var small = Best(() => PerEvent(few, slicesPerService: 2, events));
        var large = Best(() => PerEvent(many, slicesPerService: 2, events));
        var wide = Best(() => PerEvent(few, slicesPerService: 20, events));
        results.Add("slice_event_1k_us", small, "us", null, $"{events} slice updates, {few} Services of 2 slices x 50 endpoints");
        results.Add($"slice_event_{many / 1000}k_us", large, "us", null, $"the same, {many} Services");
        results.Add("slice_event_growth_ratio", large / small, "ratio", "<= 1.5", $"{many} vs {few} Services");
        results.Add("slice_event_20_slices_ratio", wide / small, "ratio", "reported", "a Service of 20 slices vs one of 2");
        return Task.CompletedTask;
    }

    // Best of three: the machine is shared.
    private static double Best(Func<double> run) => Enumerable.Range(0, 3).Select(_ => run()).Min();

    /// <summary>Microseconds per slice event: one slice of a Service changes one endpoint's readiness each time.</summary>
    private static double PerEvent(int services, int slicesPerService, int events)
    {
        var state = new ApiSliceState();
        state.Relist(Enumerable.Range(0, services).SelectMany(s => Enumerable.Range(0, slicesPerService).Select(i => Slice(s, i, 0))));
        state.TakeUpdates(1);
        state.Sent();
        // Each slice's own count of changes picks its next not-ready endpoint, so every event changes its Service.
        var flips = new int[services, slicesPerService];
        var changed = Enumerable.Range(0, events)
            .Select(e => (Service: e * 7919 % services, Index: e % slicesPerService))
            .Select(p => Slice(p.Service, p.Index, ++flips[p.Service, p.Index]))
            .ToArray();
        var start = Stopwatch.GetTimestamp();
        foreach (var slice in changed)
        {
            state.Change(slice.Key(), slice);
            if (state.TakeUpdates(2).Count != 1) throw new InvalidOperationException("each event should change its Service");
            state.Sent();
        }
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / events;
    }

    // 50 endpoints; the one at `flip` % 50 is not ready.
    private static EndpointSlice Slice(int service, int index, int flip) => new()
    {
        Metadata = new ObjectMeta
        {
            Namespace = "bench",
            Name = $"s{service}-{index}",
            Labels = ValueMap.From(new Dictionary<string, string> { [EndpointSlice.ServiceNameLabel] = $"s{service}" }),
        },
        Endpoints =
        [
            .. Enumerable.Range(0, 50).Select(e => new SliceEndpoint
            {
                Addresses = [$"10.{index}.{e}.{service % 250}"],
                Conditions = new EndpointConditions { Ready = e != flip % 50 },
            }),
        ],
        Ports = [new EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
    };
}
