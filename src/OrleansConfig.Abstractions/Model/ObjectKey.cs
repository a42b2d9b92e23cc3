namespace OrleansConfig;

/// <summary>Identifies an item within one kind of one source: <c>namespace/name</c>.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.ObjectKey")]
public readonly record struct ObjectKey([property: Id(0)] string Namespace, [property: Id(1)] string Name)
    : IComparable<ObjectKey>
{
    /// <summary>Orders by namespace, then name (ordinal).</summary>
    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary><c>namespace/name</c>.</summary>
    public override string ToString() => $"{Namespace}/{Name}";

    /// <summary>Orders by namespace, then name.</summary>
    public static bool operator <(ObjectKey left, ObjectKey right) => left.CompareTo(right) < 0;
    /// <summary>Orders by namespace, then name.</summary>
    public static bool operator <=(ObjectKey left, ObjectKey right) => left.CompareTo(right) <= 0;
    /// <summary>Orders by namespace, then name.</summary>
    public static bool operator >(ObjectKey left, ObjectKey right) => left.CompareTo(right) > 0;
    /// <summary>Orders by namespace, then name.</summary>
    public static bool operator >=(ObjectKey left, ObjectKey right) => left.CompareTo(right) >= 0;

    /// <summary>Parses <c>namespace/name</c>, or a bare <c>name</c> in the default namespace.</summary>
    public static ObjectKey Parse(string text)
    {
        var slash = text.IndexOf('/');
        return slash < 0
            ? new ObjectKey(ObjectMeta.DefaultNamespace, text)
            : new ObjectKey(text[..slash], text[(slash + 1)..]);
    }
}
