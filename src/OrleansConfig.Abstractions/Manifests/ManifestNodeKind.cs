namespace OrleansConfig.Manifests;

/// <summary>What a value in a parsed document is, once JSON and YAML are read into one tree.</summary>
internal enum ManifestNodeKind
{
    Null,
    Boolean,
    Integer,
    Float,
    String,
    Map,
    Sequence,
}
