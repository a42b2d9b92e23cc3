namespace OrleansConfig.Sources.Etcd;

/// <summary>Which kind an etcd key holds, by its folder under the prefix.</summary>
internal enum EtcdKind
{
    /// <summary><c>{Prefix}/specs/...</c></summary>
    Service,

    /// <summary><c>{Prefix}/endpoints/...</c></summary>
    Endpoints,

    /// <summary><c>{Prefix}/endpointslices/...</c></summary>
    EndpointSlice,
}
