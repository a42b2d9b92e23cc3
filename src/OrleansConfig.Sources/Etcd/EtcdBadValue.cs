namespace OrleansConfig.Sources.Etcd;

/// <summary>A key the source skipped, and why.</summary>
internal sealed record EtcdBadValue(string Key, long ModRevision, string Reason);
