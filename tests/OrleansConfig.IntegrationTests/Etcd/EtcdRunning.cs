using OrleansConfig.Tests.Diagnostics;

namespace OrleansConfig.IntegrationTests.Etcd;

/// <summary>A started source, what it recorded on its meters, the store switches behind it, and its key layout.</summary>
internal sealed record EtcdRunning(EtcdConfigSource Source, SourceMeters Meters, ControllableStore Store, EtcdValues Keys, string Name);
