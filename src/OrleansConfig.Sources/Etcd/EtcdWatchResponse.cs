namespace OrleansConfig.Sources.Etcd;

/// <summary>One etcd watch response, reduced to what the source decides on.</summary>
internal sealed record EtcdWatchResponse
{
    /// <summary>The watch is established (etcd's first response).</summary>
    public bool Created { get; init; }

    /// <summary>etcd ended the watch; with <see cref="CompactRevision"/> set, because the start revision is compacted.</summary>
    public bool Canceled { get; init; }

    public string CancelReason { get; init; } = "";

    public long CompactRevision { get; init; }

    public IReadOnlyList<EtcdEvent> Events { get; init; } = [];

    /// <summary>The store's revision when etcd sent this response.</summary>
    public long HeaderRevision { get; init; }
}

/// <summary>One watched change; <see cref="ModRevision"/> is the revision that made it (for a delete too).</summary>
internal sealed record EtcdEvent(EtcdEventType Type, string Key, ReadOnlyMemory<byte> Value, long ModRevision)
{
    public static EtcdEvent Put(string key, string value, long revision) =>
        new(EtcdEventType.Put, key, System.Text.Encoding.UTF8.GetBytes(value), revision);

    public static EtcdEvent Delete(string key, long revision) => new(EtcdEventType.Delete, key, ReadOnlyMemory<byte>.Empty, revision);
}

internal enum EtcdEventType
{
    Put,
    Delete,
}
