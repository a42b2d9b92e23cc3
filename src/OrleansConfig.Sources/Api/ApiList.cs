namespace OrleansConfig;

/// <summary>One consistent list of a kind, read at <paramref name="ResourceVersion"/>.</summary>
public sealed record ApiList<T>(IReadOnlyList<T> Items, string ResourceVersion);
