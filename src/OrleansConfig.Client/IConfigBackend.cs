namespace OrleansConfig.Client;

/// <summary>Everything the client library asks of the cluster, kept thin so the logic above it is tested with a fake.</summary>
internal interface IConfigBackend
{
    /// <summary>Raised on reconnects; null when the client was built without <c>AddOrleansConfigClient</c> (the probe
    /// then covers it).</summary>
    ClusterConnectionEvents? ConnectionEvents { get; }

    /// <summary>The union at one version; only the lists of <paramref name="kinds"/> need be filled.</summary>
    Task<UnionSnapshot> GetSnapshotAsync(ConfigKinds kinds, CancellationToken cancellationToken);

    Task<UnionVersion> GetVersionAsync(CancellationToken cancellationToken);

    /// <summary>The items of an elided delta, or null when the aggregator no longer keeps them.</summary>
    Task<SourceDelta?> GetChangeAsync(UnionVersion version, ConfigKinds kinds, CancellationToken cancellationToken);

    /// <summary>Subscribes to the union stream; disposing the result unsubscribes.</summary>
    Task<IAsyncDisposable> SubscribeAsync(Action<UnionDelta> onDelta, Action<Exception> onError, CancellationToken cancellationToken);

    Task<ApplyResult> ApplyAsync(string source, SourceUpdate update, CancellationToken cancellationToken);
}
