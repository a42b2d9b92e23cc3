namespace OrleansConfig.Tests.Collections;

/// <summary>Items with every collection field set (and some empty), as journals and streams carry them.</summary>
internal static class WireFixtures
{
    public static SourceDelta Delta() => new()
    {
        Source = "etcd",
        UpsertedServices =
        [
            new Service
            {
                Metadata = new ObjectMeta
                {
                    Namespace = "shop", Name = "web",
                    Labels = ValueMap.From([new("app", "web"), new("tier", "front")]),
                    Annotations = ValueMap.From([new("orleans-config.io/source", "etcd"), new("note", "")]),
                },
                Spec = new ServiceSpec
                {
                    ClusterIP = "10.96.0.10",
                    Ports = [new ServicePort { Name = "http", Port = 80, TargetPort = 8080 }, new ServicePort { Name = "tls", Port = 443 }],
                    Selector = ValueMap.From([new("app", "web")]),
                },
            },
            new Service { Metadata = new ObjectMeta { Namespace = "shop", Name = "empty" } },
        ],
        RemovedServices = [new ObjectKey("shop", "old")],
        UpsertedEndpoints =
        [
            new Endpoints
            {
                Metadata = new ObjectMeta { Namespace = "shop", Name = "web", Labels = ValueMap.From([new("app", "web")]) },
                Subsets =
                [
                    new EndpointSubset
                    {
                        Addresses =
                        [
                            new EndpointAddress
                            {
                                Ip = "10.1.0.1", NodeName = "node-a", Serving = true, Terminating = false, Zone = "z1",
                                ForZones = ["z1", "z2"], TargetRef = new ObjectReference { Kind = "Pod", Namespace = "shop", Name = "web-1" },
                            },
                            new EndpointAddress { Ip = "10.1.0.2" },
                        ],
                        NotReadyAddresses = [new EndpointAddress { Ip = "10.1.0.3", Hostname = "web-3" }],
                        Ports = [new EndpointPort { Name = "http", Port = 8080 }],
                    },
                ],
            },
        ],
    };
}
