namespace OrleansConfig.Sources.Etcd;

/// <summary>The few etcd calls the source makes: the seam that lets the loop run against a fake.</summary>
internal interface IEtcdStore : IDisposable
{
    /// <summary>Every key under <paramref name="prefix"/> at <paramref name="revision"/> (0: the newest).</summary>
    Task<EtcdRange> GetRangeAsync(string prefix, long revision, CancellationToken cancellationToken);

    /// <summary>
    /// One watch of <paramref name="prefix"/> from <paramref name="startRevision"/>, as etcd's responses arrive.
    /// It ends or throws when the connection is lost.
    /// </summary>
    IAsyncEnumerable<EtcdWatchResponse> WatchAsync(string prefix, long startRevision, CancellationToken cancellationToken);
}

/// <summary>A ranged read: its keys and the store revision it was read at.</summary>
internal sealed record EtcdRange(IReadOnlyList<EtcdKeyValue> Items, long Revision);

/// <summary>One key as a ranged read returns it.</summary>
internal sealed record EtcdKeyValue(string Key, ReadOnlyMemory<byte> Value, long ModRevision);
