namespace OrleansConfig.Sources.Etcd;

/// <summary>What one watch response turns into: updates per revision, in order, and values newly found bad.</summary>
internal sealed record EtcdBatch(IReadOnlyList<EtcdRevisionUpdate> Revisions, IReadOnlyList<EtcdBadValue> BadValues);
