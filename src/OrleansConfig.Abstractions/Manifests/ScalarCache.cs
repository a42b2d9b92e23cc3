namespace OrleansConfig.Manifests;

/// <summary>
/// Shares one node per repeated short scalar within a parse ("TCP", "app", 80), so a large manifest, or
/// a hostile one such as sixteen MiB of <c>[1,1,1,...]</c>, holds one node per distinct value, and the model
/// built from it shares the strings too. Bounded, so distinct values cannot grow it without limit.
/// </summary>
internal sealed class ScalarCache
{
    private const int MaxEntries = 4096;
    private const int MaxLength = 64;

    private readonly Dictionary<string, ManifestNode> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ManifestNode> _typed = new(StringComparer.Ordinal);

    public ManifestNode String(string value) => Get(_strings, value, static text => ManifestNode.String(text));

    /// <summary>A non-string scalar, whose kind and value its text alone decides (a JSON number, a plain YAML scalar).</summary>
    public ManifestNode Typed(string text, Func<string, ManifestNode> create) => Get(_typed, text, create);

    private static ManifestNode Get(Dictionary<string, ManifestNode> cache, string text, Func<string, ManifestNode> create)
    {
        if (text.Length > MaxLength) return create(text);
        if (cache.TryGetValue(text, out var node)) return node;
        node = create(text);
        if (cache.Count < MaxEntries) cache[text] = node;
        return node;
    }
}
