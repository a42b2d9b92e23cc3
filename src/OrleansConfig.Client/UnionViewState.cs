namespace OrleansConfig.Client;

/// <summary>
/// What a handler is given: the items of one kind at <see cref="Generation"/>, which counts content changes
/// in the order this process applied them, so it only grows, even across resyncs and epochs.
/// </summary>
internal readonly record struct UnionViewState<T>(long Generation, UnionVersion Version, IReadOnlyList<T> Items);
