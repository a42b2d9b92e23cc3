namespace OrleansConfig.Sources.Etcd;

/// <summary>A ranged read: its keys and the store revision it was read at.</summary>
internal sealed record EtcdRange(IReadOnlyList<EtcdKeyValue> Items, long Revision);
