namespace OrleansConfig;

/// <summary>One watch event: the object as of <paramref name="ResourceVersion"/> (null for a bookmark).</summary>
// `Object` is the Kubernetes watch event's own field name (CA1720 flags it as a type name).
#pragma warning disable CA1720
public sealed record ApiWatchEvent<T>(ApiWatchEventType Type, T? Object, string ResourceVersion) where T : class;
#pragma warning restore CA1720
