namespace OrleansConfig.Sources.Etcd;

/// <summary>One watched change; <see cref="ModRevision"/> is the revision that made it (for a delete too).</summary>
internal sealed record EtcdEvent(EtcdEventType Type, string Key, ReadOnlyMemory<byte> Value, long ModRevision)
{
    public static EtcdEvent Put(string key, string value, long revision) =>
        new(EtcdEventType.Put, key, System.Text.Encoding.UTF8.GetBytes(value), revision);

    public static EtcdEvent Delete(string key, long revision) => new(EtcdEventType.Delete, key, ReadOnlyMemory<byte>.Empty, revision);
}
