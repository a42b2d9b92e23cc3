namespace OrleansConfig;

/// <summary>
/// What changed in one kind's union between the state a change handler last saw and <see cref="Version"/>. An item is
/// identified by (source, namespace, name) and carries its source annotation; each list is in union order
/// (namespace, name, then source), and an item appears in at most one of them.
/// </summary>
/// <typeparam name="T"><see cref="Service"/> or <see cref="Endpoints"/>.</typeparam>
public sealed record ConfigChanges<T>
{
    /// <summary>Items the handler has not seen; on the <see cref="Initial"/> call, the whole union.</summary>
    public IReadOnlyList<T> Added { get; init; } = [];

    /// <summary>Items whose content changed: the value the handler last saw and the value now.</summary>
    public IReadOnlyList<ItemUpdate<T>> Updated { get; init; } = [];

    /// <summary>Items gone from the union, each as the handler last saw it.</summary>
    public IReadOnlyList<T> Removed { get; init; } = [];

    /// <summary>The union version these changes bring the handler to.</summary>
    public UnionVersion Version { get; init; }

    /// <summary>True on the first call, which carries the whole union as <see cref="Added"/> (possibly empty).</summary>
    public bool Initial { get; init; }
}

/// <summary>One item's change: <paramref name="Old"/> as the handler last saw it, <paramref name="New"/> as it is now.</summary>
/// <param name="Old">The value the handler last saw.</param>
/// <param name="New">The current value.</param>
public sealed record ItemUpdate<T>(T Old, T New);
