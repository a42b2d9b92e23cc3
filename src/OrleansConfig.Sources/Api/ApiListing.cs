namespace OrleansConfig.Sources.Api;

/// <summary>A kind's list as the source sends it: its Set, the list's resourceVersion, and how many objects it held.</summary>
internal sealed record ApiListing(SourceUpdate Update, string ResourceVersion, int Count);
