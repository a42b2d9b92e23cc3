namespace OrleansConfig.Manifests.Json;

/// <summary>Turns empty collections into nulls, which the serializer omits (Go's <c>omitempty</c>).</summary>
internal static class DtoValues
{
    public static IReadOnlyDictionary<string, string>? OrNull(ValueMap? map) => map is { Count: > 0 } ? map : null;

    public static IReadOnlyList<T>? OrNull<T>(ValueList<T>? list) => list is { Count: > 0 } ? list : null;

    public static IReadOnlyList<TOut>? Map<TIn, TOut>(ValueList<TIn>? list, Func<TIn, TOut> map)
    {
        if (list is not { Count: > 0 }) return null;
        var result = new TOut[list.Count];
        for (var i = 0; i < result.Length; i++) result[i] = map(list[i]);
        return result;
    }
}
