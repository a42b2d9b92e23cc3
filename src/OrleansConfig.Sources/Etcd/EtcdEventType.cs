namespace OrleansConfig.Etcd;

internal enum EtcdEventType
{
    Put,
    Delete,
}
