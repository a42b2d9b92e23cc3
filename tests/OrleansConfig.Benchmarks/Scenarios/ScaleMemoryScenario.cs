using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using OrleansConfig.Benchmarks.Infrastructure;
using OrleansConfig.State;

namespace OrleansConfig.Benchmarks.Scenarios;

/// <summary>
/// What one item costs the silo, part by part, measured in this process with the GC's own count of live bytes:
/// the items as Orleans deserializes them, the same items compacted, the key tables (a source grain's and the
/// aggregator's), and the serialized copy the in-memory storage keeps.
/// </summary>
internal static class ScaleMemoryScenario
{
    public static Task Run(BenchmarkOptions options, BenchmarkResults results)
    {
        var count = options.Size(100_000, 10_000);
        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        // Serialized as a source's update and deserialized as a silo receives it: fresh strings and lists per item.
        var bytes = serializer.SerializeToArray(new SourceUpdate
        {
            Services = new ServiceUpdate(Operation.Set, [.. Enumerable.Range(0, count).Select(i => Fixtures.Service($"s-{i}", $"ns-{i % 100}"))]),
            Endpoints = new EndpointsUpdate(Operation.Set,
                [.. Enumerable.Range(0, count).Select(i => Fixtures.Endpoints($"s-{i}", 3, $"ns-{i % 100}", seed: i))]),
        });

        // Each step in a method of its own, writing only to the holder: no hidden temporary of this frame keeps a
        // dropped graph alive while the GC counts.
        var held = new Held();
        var before = Live();
        Receive(held, serializer, bytes);
        var asReceived = Live() - before;
        CompactAll(held);
        var compacted = Live() - before;
        Table(held);
        var withTable = Live() - before;
        var stored = serializer.SerializeToArray(held.Services).Length + serializer.SerializeToArray(held.Endpoints).Length;
        GC.KeepAlive(held);

        var perObject = 2.0 * count;
        results.Add("item_bytes_as_received", asReceived / perObject, "B", null,
            $"a service or an endpoints (3 addresses) as deserialized and tagged, average of {count} + {count}");
        results.Add("item_bytes_compacted", compacted / perObject, "B", null, "the same items after ItemCompactor (a table of their own, dropped after)");
        results.Add("item_bytes_key_table", (withTable - compacted) / perObject, "B", null,
            "one source's key table per item (a silo holds two: the source grain's and the aggregator's)");
        results.Add("item_bytes_stored", stored / perObject, "B", null, "the serialized copy the default in-memory grain storage keeps");
        return Task.CompletedTask;
    }

    private sealed class Held
    {
        public Service[] Services { get; set; } = [];
        public Endpoints[] Endpoints { get; set; } = [];
        public SourceState? State { get; set; }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Receive(Held held, Serializer serializer, byte[] bytes)
    {
        var received = serializer.Deserialize<SourceUpdate>(bytes)!;
        held.Services = [.. received.Services!.Services.Select(s => s.WithSource("memory"))];
        held.Endpoints = [.. received.Endpoints!.Endpoints.Select(e => e.WithSource("memory"))];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CompactAll(Held held)
    {
        var compactor = new ItemCompactor();
        held.Services = [.. held.Services.Select(compactor.Compact)];
        held.Endpoints = [.. held.Endpoints.Select(compactor.Compact)];
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Table(Held held) => held.State = new SourceState("memory", 1, held.Services, held.Endpoints);

    private static long Live()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
