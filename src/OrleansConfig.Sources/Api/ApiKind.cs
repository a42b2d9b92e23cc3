namespace OrleansConfig.Sources.Api;

/// <summary>One kind as the source follows it: its watcher's calls, how its updates are made, its sync state and filter.</summary>
internal sealed class ApiKind<T> where T : class, IConfigItem
{
    public required string Name { get; init; }

    public required Func<CancellationToken, Task<ApiList<T>>> List { get; init; }

    public required Func<string, CancellationToken, IAsyncEnumerable<ApiWatchEvent<T>>> Watch { get; init; }

    /// <summary>An update of this kind alone: <c>Services</c> or <c>Endpoints</c>, with the revision.</summary>
    public required Func<Operation, IReadOnlyList<T>, long, SourceUpdate> Update { get; init; }

    /// <summary>An item that only names a key, for a Remove.</summary>
    public required Func<ObjectKey, T> Named { get; init; }

    public required ApiSyncState Sync { get; init; }

    public required ApiItemFilter<T> Filter { get; init; }
}
