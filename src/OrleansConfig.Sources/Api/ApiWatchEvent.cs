namespace OrleansConfig;

/// <summary>One watch event: the object as of <paramref name="ResourceVersion"/> (null for a bookmark).</summary>
public sealed record ApiWatchEvent<T>(ApiWatchEventType Type, T? Object, string ResourceVersion) where T : class;
