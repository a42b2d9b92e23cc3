using OrleansConfig.IntegrationTests.Etcd;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>
/// An HTTP silo that also runs the etcd source and the Orleans dashboard. Its etcd is not started with it: the
/// source cannot sync until a test starts <see cref="Etcd"/>.
/// </summary>
public sealed class EtcdHttpSilo : HttpSilo
{
    public EtcdHttpSilo()
        : this(new EtcdServer())
    {
    }

    private EtcdHttpSilo(EtcdServer etcd)
        : base([$"--Sources:Etcd:Endpoints={etcd.Endpoint}", "--OrleansConfig:Dashboard=true"]) => Etcd = etcd;

    public EtcdServer Etcd { get; }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Etcd.DisposeAsync();
    }
}
