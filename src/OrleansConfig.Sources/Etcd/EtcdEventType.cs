namespace OrleansConfig.Sources.Etcd;

internal enum EtcdEventType
{
    Put,
    Delete,
}
