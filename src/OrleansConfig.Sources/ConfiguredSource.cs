namespace OrleansConfig.Sources;

/// <summary>
/// A source adapter this host runs, registered by its <c>Add…ConfigSource</c>: the silo's readiness waits for each
/// one's grain to report synced.
/// </summary>
/// <param name="Type"><c>file</c>, <c>etcd</c> or <c>api</c>.</param>
/// <param name="Name">The source's name (its SourceGrain's key).</param>
internal sealed record ConfiguredSource(string Type, string Name);
