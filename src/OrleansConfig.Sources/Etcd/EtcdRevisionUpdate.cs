namespace OrleansConfig.Sources.Etcd;

/// <summary>The updates one etcd revision makes: usually one, two when a kind has both puts and deletes.</summary>
internal sealed record EtcdRevisionUpdate(long Revision, IReadOnlyList<SourceUpdate> Updates);
