namespace OrleansConfig.Sources.Api;

/// <summary>
/// A kind's list as the source sends it: the valid objects, the list's resourceVersion, how many objects it held,
/// and the updates that make the kind's state the list's (a Set; in one namespace, a Remove of what went and an Add).
/// </summary>
internal sealed record ApiListing<T>(List<T> Items, string ResourceVersion, int Count, IReadOnlyList<SourceUpdate> Updates)
    where T : class, IConfigItem;
