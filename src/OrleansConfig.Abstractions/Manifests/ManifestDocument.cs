namespace OrleansConfig.Manifests;

/// <summary>One parsed document (null when empty) and the errors found building it, paths from its root.</summary>
internal sealed record ManifestDocument(ManifestNode? Root, IReadOnlyList<FieldError> Errors);
