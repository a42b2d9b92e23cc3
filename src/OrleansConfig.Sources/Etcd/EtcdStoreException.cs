namespace OrleansConfig.Sources.Etcd;

/// <summary>An etcd call failed (unreachable, timed out, refused); the message is what the source reports.</summary>
internal sealed class EtcdStoreException : Exception
{
    public EtcdStoreException(string message) : base(message)
    {
    }

    public EtcdStoreException(string message, Exception inner) : base(message, inner)
    {
    }
}
