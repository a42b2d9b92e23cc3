namespace OrleansConfig.Client;

/// <summary>How one kind (Services or Endpoints) is read from snapshots and deltas and sent to a source.</summary>
internal sealed class ConfigKind<T, TUpdate>(
    string name,
    ConfigKinds kinds,
    Func<UnionSnapshot, IReadOnlyList<T>> fromSnapshot,
    Func<SourceDelta, IReadOnlyList<T>> upserted,
    Func<SourceDelta, IReadOnlyList<ObjectKey>> removed,
    Func<TUpdate, SourceUpdate> toSourceUpdate)
    where T : class, IConfigItem
{
    public string Name { get; } = name;

    public ConfigKinds Kinds { get; } = kinds;

    public IReadOnlyList<T> FromSnapshot(UnionSnapshot snapshot) => fromSnapshot(snapshot);

    public IReadOnlyList<T> Upserted(SourceDelta delta) => upserted(delta);

    public IReadOnlyList<ObjectKey> Removed(SourceDelta delta) => removed(delta);

    public SourceUpdate ToSourceUpdate(TUpdate update) => toSourceUpdate(update);
}

internal static class ConfigKind
{
    public static ConfigKind<Service, ServiceUpdate> Services { get; } =
        new("services", ConfigKinds.Services, s => s.Services, d => d.UpsertedServices, d => d.RemovedServices, u => u);

    public static ConfigKind<Endpoints, EndpointsUpdate> Endpoints { get; } =
        new("endpoints", ConfigKinds.Endpoints, s => s.Endpoints, d => d.UpsertedEndpoints, d => d.RemovedEndpoints, u => u);
}
