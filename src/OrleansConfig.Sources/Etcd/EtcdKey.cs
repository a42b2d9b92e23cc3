namespace OrleansConfig.Sources.Etcd;

/// <summary>What an etcd key names: <c>{Prefix}/specs/{namespace}/{name}</c> is the Service <c>namespace/name</c>.</summary>
internal readonly record struct EtcdKey(EtcdKind Kind, string Namespace, string Name)
{
    public ObjectKey ObjectKey => new(Namespace, Name);

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
