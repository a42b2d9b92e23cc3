namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>A started source, the store switches behind it, and its key layout.</summary>
internal sealed record EtcdRunning(EtcdConfigSource Source, ControllableStore Store, EtcdValues Keys, string Name);
