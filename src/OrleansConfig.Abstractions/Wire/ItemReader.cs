using System.Text;

namespace OrleansConfig.Wire;

/// <summary>
/// Reads what <see cref="ItemWriter"/> wrote. A string the page shares comes out as one instance however many items
/// hold it, so a subscriber holding a million items keeps each namespace, source and annotation key once per page.
/// Malformed bytes give <see cref="InvalidDataException"/> naming what was being read.
/// </summary>
internal sealed class ItemReader(byte[] bytes)
{
    private readonly List<string> _table = [];
    private readonly List<object> _objects = [];
    private int _position;

    /// <summary>The Services and Endpoints of a page's bytes.</summary>
    public static (Service[] Services, Endpoints[] Endpoints) Decode(byte[] bytes)
    {
        var reader = new ItemReader(bytes);
        var services = new Service[reader.ReadCount("services")];
        for (var i = 0; i < services.Length; i++) services[i] = reader.ReadService();
        var endpoints = new Endpoints[reader.ReadCount("endpoints")];
        for (var i = 0; i < endpoints.Length; i++) endpoints[i] = reader.ReadEndpoints();
        if (reader._position != bytes.Length)
        {
            throw new InvalidDataException($"snapshot page: {bytes.Length - reader._position} bytes left after the last item");
        }
        return (services, endpoints);
    }

    /// <summary>Reads one Service.</summary>
    public Service ReadService()
    {
        var metadata = ReadMeta();
        var type = Shared("spec.type");
        var clusterIP = Inline("spec.clusterIP");
        var clusterIPs = InlineList("spec.clusterIPs");
        var ports = Referenced<ValueList<ServicePort>>("spec.ports") ?? Keep(ReadServicePorts());
        var spec = new ServiceSpec
        {
            Type = type,
            ClusterIP = clusterIP,
            ClusterIPs = clusterIPs,
            Ports = ports,
            Selector = ReadMap("spec.selector"),
            SessionAffinity = Shared("spec.sessionAffinity"),
            SessionAffinityConfig = ReadByte("spec.sessionAffinityConfig") switch
            {
                0 => null,
                1 => new SessionAffinityConfig(),
                2 => new SessionAffinityConfig { ClientIP = new ClientIPConfig { TimeoutSeconds = ReadNullableInt() } },
                var tag => throw Bad("spec.sessionAffinityConfig", tag),
            },
            ExternalIPs = InlineList("spec.externalIPs"),
            ExternalName = Inline("spec.externalName"),
            ExternalTrafficPolicy = Shared("spec.externalTrafficPolicy"),
            InternalTrafficPolicy = Shared("spec.internalTrafficPolicy"),
            LoadBalancerIP = Inline("spec.loadBalancerIP"),
        };
        var status = ReadByte("status") switch
        {
            0 => null,
            1 => new ServiceStatus(),
            2 => new ServiceStatus { LoadBalancer = new LoadBalancerStatus { Ingress = ReadIngress() } },
            var tag => throw Bad("status", tag),
        };
        return new Service { Metadata = metadata, Spec = spec, Status = status };
    }

    /// <summary>Reads one Endpoints.</summary>
    public Endpoints ReadEndpoints()
    {
        var metadata = ReadMeta();
        var subsets = new EndpointSubset[ReadCount("subsets")];
        for (var i = 0; i < subsets.Length; i++)
        {
            var addresses = ReadAddresses("subsets.addresses");
            var notReady = ReadAddresses("subsets.notReadyAddresses");
            var ports = Referenced<ValueList<EndpointPort>>("subsets.ports") ?? Keep(ReadEndpointPorts());
            subsets[i] = new EndpointSubset { Addresses = addresses, NotReadyAddresses = notReady, Ports = ports };
        }
        return new Endpoints { Metadata = metadata, Subsets = List(subsets) };
    }

    private ValueList<ServicePort> ReadServicePorts()
    {
        var ports = new ServicePort[ReadCount("spec.ports")];
        for (var i = 0; i < ports.Length; i++)
        {
            ports[i] = new ServicePort
            {
                Name = Shared("spec.ports.name"),
                Protocol = Shared("spec.ports.protocol")!,
                Port = ReadInt(),
                TargetPort = ReadByte("spec.ports.targetPort") switch
                {
                    0 => (IntOrString?)null,
                    1 => new IntOrString { IntValue = ReadNullableInt(), StringValue = Shared("spec.ports.targetPort") },
                    var tag => throw Bad("spec.ports.targetPort", tag),
                },
                NodePort = ReadNullableInt(),
                AppProtocol = Shared("spec.ports.appProtocol"),
            };
        }
        return List(ports);
    }

    private ValueList<EndpointPort> ReadEndpointPorts()
    {
        var ports = new EndpointPort[ReadCount("subsets.ports")];
        for (var i = 0; i < ports.Length; i++)
        {
            ports[i] = new EndpointPort
            {
                Name = Shared("subsets.ports.name"),
                Port = ReadInt(),
                Protocol = Shared("subsets.ports.protocol")!,
            };
        }
        return List(ports);
    }

    // The object an earlier item of the page already brought, or null when a new one follows (see ItemWriter.Reference).
    private T? Referenced<T>(string field) where T : class
    {
        var code = ReadVarint(field);
        if (code == 0) return null;
        var index = code - 1;
        return index < (ulong)_objects.Count && _objects[(int)index] is T held
            ? held
            : throw new InvalidDataException($"snapshot page: {field} refers to object {index}, which is not one of the page's {_objects.Count}");
    }

    // Numbers a new object in the order the writer did, so later items can refer to it.
    private T Keep<T>(T value) where T : class
    {
        _objects.Add(value);
        return value;
    }

    private ObjectMeta ReadMeta() => new()
    {
        Name = Inline("metadata.name")!,
        Namespace = Shared("metadata.namespace")!,
        Labels = ReadMap("metadata.labels"),
        Annotations = ReadMap("metadata.annotations"),
    };

    private ValueList<LoadBalancerIngress> ReadIngress()
    {
        var ingress = new LoadBalancerIngress[ReadCount("status.loadBalancer.ingress")];
        for (var i = 0; i < ingress.Length; i++)
        {
            ingress[i] = new LoadBalancerIngress
            {
                Ip = Inline("status.loadBalancer.ingress.ip"),
                Hostname = Inline("status.loadBalancer.ingress.hostname"),
            };
        }
        return List(ingress);
    }

    private ValueList<EndpointAddress> ReadAddresses(string field)
    {
        var addresses = new EndpointAddress[ReadCount(field)];
        for (var i = 0; i < addresses.Length; i++)
        {
            var ip = Inline("subsets.addresses.ip")!;
            var hostname = Inline("subsets.addresses.hostname");
            var nodeName = Shared("subsets.addresses.nodeName");
            var serving = ReadBool("subsets.addresses.serving");
            var terminating = ReadBool("subsets.addresses.terminating");
            var zone = Shared("subsets.addresses.zone");
            var forZones = new string[ReadCount("subsets.addresses.forZones")];
            for (var z = 0; z < forZones.Length; z++) forZones[z] = Shared("subsets.addresses.forZones")!;
            var targetRef = ReadByte("subsets.addresses.targetRef") switch
            {
                0 => null,
                1 => new ObjectReference
                {
                    Kind = Shared("subsets.addresses.targetRef.kind"),
                    Namespace = Shared("subsets.addresses.targetRef.namespace"),
                    Name = Inline("subsets.addresses.targetRef.name"),
                    Uid = Inline("subsets.addresses.targetRef.uid"),
                },
                var tag => throw Bad("subsets.addresses.targetRef", tag),
            };
            addresses[i] = new EndpointAddress
            {
                Ip = ip,
                Hostname = hostname,
                NodeName = nodeName,
                Serving = serving,
                Terminating = terminating,
                Zone = zone,
                ForZones = List(forZones),
                TargetRef = targetRef,
            };
        }
        return List(addresses);
    }

    private ValueMap ReadMap(string field) => Referenced<ValueMap>(field) ?? Keep(ReadNewMap(field));

    private ValueMap ReadNewMap(string field)
    {
        var count = ReadCount(field);
        if (count == 0) return ValueMap.Empty;
        var keys = new string[count];
        var values = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = Shared(field) ?? throw new InvalidDataException($"snapshot page: {field} has a null key");
            values[i] = Shared(field) ?? throw new InvalidDataException($"snapshot page: {field} has a null value");
            if (i > 0 && string.CompareOrdinal(keys[i - 1], keys[i]) >= 0)
            {
                throw new InvalidDataException($"snapshot page: {field} keys are not in order at {keys[i]}");
            }
        }
        return ValueMap.FromSorted(keys, values);
    }

    private ValueList<string> InlineList(string field)
    {
        var count = ReadCount(field);
        if (count == 0) return ValueList<string>.Empty;
        var items = new string[count];
        for (var i = 0; i < count; i++) items[i] = Inline(field)!;
        return new ValueList<string>(items);
    }

    private static ValueList<T> List<T>(T[] items) => items.Length == 0 ? ValueList<T>.Empty : new ValueList<T>(items);

    private string? Shared(string field)
    {
        var code = ReadVarint(field);
        if (code == ItemWriter.NullCode) return null;
        if (code == ItemWriter.NewCode)
        {
            var text = Utf8(ReadVarint(field), field);
            _table.Add(text);
            return text;
        }
        var index = code - ItemWriter.FirstIndexCode;
        return index < (ulong)_table.Count
            ? _table[(int)index]
            : throw new InvalidDataException($"snapshot page: {field} refers to string {index} of {_table.Count}");
    }

    private string? Inline(string field)
    {
        var length = ReadVarint(field);
        return length == 0 ? null : Utf8(length - 1, field);
    }

    private string Utf8(ulong length, string field)
    {
        if (length > (ulong)(bytes.Length - _position))
        {
            throw new InvalidDataException($"snapshot page: {field} is {length} bytes long, past the end of the page");
        }
        var text = length == 0 ? "" : Encoding.UTF8.GetString(bytes, _position, (int)length);
        _position += (int)length;
        return text;
    }

    private int ReadCount(string field)
    {
        var count = ReadVarint(field);
        // Every element takes at least one byte: a larger count is corrupt, not a reason to allocate.
        return count <= (ulong)(bytes.Length - _position)
            ? (int)count
            : throw new InvalidDataException($"snapshot page: {field} counts {count} items, more than the page holds");
    }

    private bool? ReadBool(string field) => ReadByte(field) switch
    {
        0 => null,
        1 => false,
        2 => true,
        var tag => throw Bad(field, tag),
    };

    private int ReadInt() => UnZigZag(ReadVarint("a number"));

    private int? ReadNullableInt()
    {
        var value = ReadVarint("a number");
        return value == 0 ? null : UnZigZag(value - 1);
    }

    private static int UnZigZag(ulong value)
    {
        var bits = (uint)value;
        return (int)(bits >> 1) ^ -(int)(bits & 1);
    }

    private byte ReadByte(string field) =>
        _position < bytes.Length ? bytes[_position++] : throw new InvalidDataException($"snapshot page: ends inside {field}");

    private ulong ReadVarint(string field)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var next = ReadByte(field);
            value |= (ulong)(next & 0x7F) << shift;
            if (next < 0x80) return value;
        }
        throw new InvalidDataException($"snapshot page: {field} holds a number longer than 10 bytes");
    }

    private static InvalidDataException Bad(string field, byte tag) => new($"snapshot page: {field} has unknown tag {tag}");
}
