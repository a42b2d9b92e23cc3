using System.Collections.Concurrent;
using OrleansConfig.Client;

namespace OrleansConfig.Tests.Client;

/// <summary>Records what a subscription hands over, in order, and keeps the Services it adds up to.</summary>
internal sealed class RecordingSink : IUnionSink
{
    public ConfigKinds Kinds => ConfigKinds.All;

    public ConcurrentQueue<string> Calls { get; } = new();

    public UnionView<Service> Services { get; } = new();

    public void ApplySnapshot(UnionSnapshot snapshot)
    {
        Services.ApplySnapshot(snapshot.Version, snapshot.Services);
        Calls.Enqueue($"snapshot {snapshot.Version.Version}");
    }

    public void ApplyDelta(UnionDelta delta)
    {
        Services.ApplyDelta(delta.Version, delta.Change.Source, delta.Change.UpsertedServices, delta.Change.RemovedServices);
        Calls.Enqueue($"delta {delta.Version.Version}");
    }

    public bool Saw(string call) => Calls.Contains(call);
}
