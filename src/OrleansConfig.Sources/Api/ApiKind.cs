namespace OrleansConfig.Sources.Api;

/// <summary>One kind as the source follows it: its watcher's calls, how its updates are made, its sync state and filter.</summary>
internal sealed class ApiKind<T> where T : class, IConfigItem
{
    public required string Name { get; init; }

    /// <summary>The API resource (<c>services</c>, <c>endpoints</c>, <c>endpointslices</c>): its meters' <c>resource</c> tag.</summary>
    public required string Resource { get; init; }

    /// <summary>The namespace this kind is followed in, or null for all namespaces.</summary>
    public string? Namespace { get; init; }

    /// <summary>The keys this kind has sent and not removed, kept only in one namespace: a list of it is sent as a Remove of
    /// the keys that went and an Add, since a Set would replace the other namespaces' items too.</summary>
    public HashSet<ObjectKey>? Known { get; init; }

    /// <summary>An update's revision for a resourceVersion: 0 (unversioned) in one namespace, as the namespaces' watches
    /// each advance on their own and an older one's changes must not be taken for stale.</summary>
    public long RevisionOf(string resourceVersion) => Namespace is null ? ApiResourceVersion.ToRevision(resourceVersion) : 0;

    public required Func<CancellationToken, Task<ApiList<T>>> List { get; init; }

    public required Func<string, CancellationToken, IAsyncEnumerable<ApiWatchEvent<T>>> Watch { get; init; }

    /// <summary>An update of this kind alone: <c>Services</c> or <c>Endpoints</c>, with the revision.</summary>
    public required Func<Operation, IReadOnlyList<T>, long, SourceUpdate> Update { get; init; }

    /// <summary>An item that only names a key, for a Remove.</summary>
    public required Func<ObjectKey, T> Named { get; init; }

    public required ApiSyncState Sync { get; init; }

    public required ApiItemFilter<T> Filter { get; init; }

    /// <summary>Where the kind's objects are merged before they are sent (EndpointSlices into their Service's Endpoints);
    /// null when they are sent as they are.</summary>
    public IApiMerge<T>? Merge { get; init; }
}

/// <summary>A kind whose objects are sent merged (see <see cref="ApiSliceState"/>): it says what changed since it last sent.</summary>
internal interface IApiMerge<in T>
{
    /// <summary>Replaces every object with a list's valid ones.</summary>
    void Relist(IEnumerable<T> items);

    /// <summary>An object's newest state (null: it went).</summary>
    void Change(ObjectKey key, T? item);

    /// <summary>The updates that send what changed since <see cref="Sent"/>, at <paramref name="revision"/>.</summary>
    IReadOnlyList<SourceUpdate> TakeUpdates(long revision);

    /// <summary>Everything to send, merged, as the last <see cref="TakeUpdates"/> leaves it (for a Set).</summary>
    List<Endpoints> All();

    /// <summary>The last <see cref="TakeUpdates"/>' updates were applied.</summary>
    void Sent();

    /// <summary>A Set of exactly <paramref name="all"/> was applied.</summary>
    void SentAll(IEnumerable<Endpoints> all);
}
