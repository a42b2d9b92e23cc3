namespace OrleansConfig;

/// <summary>Helpers shared by Services and Endpoints.</summary>
public static class ConfigItemExtensions
{
    /// <summary>The annotation that names the source an item of the union came from.</summary>
    public const string SourceAnnotation = "orleans-config/source";

    /// <summary>The item's <c>namespace/name</c>.</summary>
    public static ObjectKey Key(this IConfigItem item) => item.Metadata.Key;

    /// <summary>The source that published this item of the union ("" for an item not from the union).</summary>
    public static string Source(this IConfigItem item) =>
        item.Metadata.Annotations.TryGetValue(SourceAnnotation, out var source) ? source : "";

    /// <summary>Returns the item tagged with <paramref name="source"/> (an empty name strips the tag).</summary>
    public static T WithSource<T>(this T item, string source) where T : IConfigItem
    {
        var annotations = item.Metadata.Annotations;
        var tagged = source.Length == 0 ? annotations.Without(SourceAnnotation) : annotations.With(SourceAnnotation, source);
        return ReferenceEquals(tagged, annotations) ? item : (T)item.WithMetadata(item.Metadata with { Annotations = tagged });
    }
}
