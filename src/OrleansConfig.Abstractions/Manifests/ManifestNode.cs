using OrleansConfig.Validation;

namespace OrleansConfig.Manifests;

/// <summary>
/// One value of a JSON or YAML document. Both formats are read into this tree so a single reader maps
/// documents to the model and reports errors the same way for either.
/// </summary>
internal sealed class ManifestNode
{
    public static readonly ManifestNode Null = new(ManifestNodeKind.Null, "null");
    public static readonly ManifestNode True = new(ManifestNodeKind.Boolean, "true");
    public static readonly ManifestNode False = new(ManifestNodeKind.Boolean, "false");

    private ManifestNode(ManifestNodeKind kind, string text, long? integer = null)
    {
        Kind = kind;
        Text = text;
        Integer = integer;
        if (kind == ManifestNodeKind.Map) Entries = [];
        else if (kind == ManifestNodeKind.Sequence) Items = [];
    }

    public ManifestNodeKind Kind { get; }

    /// <summary>A string's value, or another scalar's text as written (shown in errors).</summary>
    public string Text { get; }

    /// <summary>An integer's value, or null when it does not fit 64 bits.</summary>
    public long? Integer { get; }

    /// <summary>A map's entries in document order (keys are unique: the builders refuse duplicates).</summary>
    public List<KeyValuePair<string, ManifestNode>>? Entries { get; }

    public List<ManifestNode>? Items { get; }

    /// <summary>Nodes in this subtree, counting shared (aliased) subtrees each time they appear.</summary>
    public long Size { get; set; } = 1;

    /// <summary>Nesting levels below this node, so an alias cannot smuggle in depth past the limit.</summary>
    public int Height { get; set; }

    public static ManifestNode Scalar(ManifestNodeKind kind, string text, long? integer = null) => new(kind, text, integer);

    public static ManifestNode String(string value) => new(ManifestNodeKind.String, value);

    public static ManifestNode Map() => new(ManifestNodeKind.Map, "");

    public static ManifestNode Sequence() => new(ManifestNodeKind.Sequence, "");

    public bool IsContainer => Kind is ManifestNodeKind.Map or ManifestNodeKind.Sequence;

    public ManifestNode? Get(string key)
    {
        if (Entries is null) return null;
        foreach (var (name, value) in Entries)
        {
            if (name == key) return value;
        }
        return null;
    }

    /// <summary>How the value reads in an error: <c>"abc"</c>, <c>80</c>, <c>true</c>, <c>an object</c>, <c>a list</c>.</summary>
    public string Describe() => Kind switch
    {
        ManifestNodeKind.String => ErrorText.Quote(Text),
        ManifestNodeKind.Map => "an object",
        ManifestNodeKind.Sequence => "a list",
        ManifestNodeKind.Null => "null",
        _ => Text,
    };
}
