namespace OrleansConfig.Sources.Api;

/// <summary>An object the source skipped, and why.</summary>
internal sealed record ApiBadObject(string Kind, ObjectKey Key, string Reason);
