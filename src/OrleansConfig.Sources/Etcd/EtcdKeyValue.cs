namespace OrleansConfig.Sources.Etcd;

/// <summary>One key as a ranged read returns it.</summary>
internal sealed record EtcdKeyValue(string Key, ReadOnlyMemory<byte> Value, long ModRevision);
