namespace OrleansConfig.Client;

/// <summary>One entry of the union: the same namespace/name from two sources is two entries.</summary>
internal readonly record struct UnionKey(string Namespace, string Name, string Source) : IComparable<UnionKey>
{
    public UnionKey(ObjectKey key, string source) : this(key.Namespace, key.Name, source)
    {
    }

    public ObjectKey ObjectKey => new(Namespace, Name);

    public static UnionKey Of(IConfigItem item) => new(item.Key(), item.Source());

    // DESIGN.md's handler order: namespace, name, then source; ordinal so every process agrees.
    public int CompareTo(UnionKey other)
    {
        var result = string.CompareOrdinal(Namespace, other.Namespace);
        if (result != 0) return result;
        result = string.CompareOrdinal(Name, other.Name);
        return result != 0 ? result : string.CompareOrdinal(Source, other.Source);
    }

    public override string ToString() => $"{Namespace}/{Name}@{Source}";
}
