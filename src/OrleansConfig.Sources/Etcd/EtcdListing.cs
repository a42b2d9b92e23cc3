namespace OrleansConfig.Sources.Etcd;

/// <summary>What a list read turns into: one Set of each kind, and values newly found bad.</summary>
internal sealed record EtcdListing(SourceUpdate Update, long Revision, IReadOnlyList<EtcdBadValue> BadValues);
