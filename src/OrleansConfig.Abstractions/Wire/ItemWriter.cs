using System.Text;

namespace OrleansConfig.Wire;

/// <summary>
/// Writes Services and Endpoints in the compact form of a snapshot page (read back by <see cref="ItemReader"/>): every
/// field in a fixed order with no headers, numbers as varints, and the strings many items repeat (namespaces, sources,
/// label and annotation keys and values, port names, protocols, node names, zones) sent once per page and referred to
/// by index after that. Orleans' generated codecs write a header per field and per object; at a million items that is
/// most of a snapshot's bytes and CPU.
/// </summary>
internal sealed class ItemWriter
{
    // Codes of a shared string: null, a new string (added to the table), or ≥ 2: the table's entry code − 2.
    internal const int NullCode = 0;
    internal const int NewCode = 1;
    internal const int FirstIndexCode = 2;

    private readonly Dictionary<string, int> _table = new(StringComparer.Ordinal);
    // Maps and port lists already written, by reference: a silo's ItemCompactor makes equal ones one instance (a
    // source's tag, a Service's labels and its selector, a port list), and sending each once lets the reader share it too.
    private readonly Dictionary<object, int> _objects = new(ReferenceEqualityComparer.Instance);
    private byte[] _buffer;
    private int _length;

    /// <summary>A writer whose buffer starts at <paramref name="capacity"/> bytes.</summary>
    public ItemWriter(int capacity = 4096) => _buffer = new byte[Math.Max(capacity, 16)];

    /// <summary>The page's bytes: the Services, then the Endpoints, each list preceded by its count.</summary>
    public static byte[] Encode(IReadOnlyList<Service> services, IReadOnlyList<Endpoints> endpoints)
    {
        var writer = new ItemWriter(64 + (services.Count + endpoints.Count) * 96);
        writer.WriteCount(services.Count);
        for (var i = 0; i < services.Count; i++) writer.Write(services[i]);
        writer.WriteCount(endpoints.Count);
        for (var i = 0; i < endpoints.Count; i++) writer.Write(endpoints[i]);
        return writer.ToArray();
    }

    /// <summary>The bytes written so far.</summary>
    public byte[] ToArray() => _buffer.AsSpan(0, _length).ToArray();

    /// <summary>Writes one Service.</summary>
    public void Write(Service service)
    {
        Write(service.Metadata);
        var spec = service.Spec;
        Shared(spec.Type);
        Inline(spec.ClusterIP);
        Inline(spec.ClusterIPs);
        if (!Reference(spec.Ports)) Write(spec.Ports);
        Write(spec.Selector);
        Shared(spec.SessionAffinity);
        if (spec.SessionAffinityConfig is { } affinity)
        {
            WriteByte(affinity.ClientIP is null ? (byte)1 : (byte)2);
            if (affinity.ClientIP is { } clientIP) WriteInt(clientIP.TimeoutSeconds);
        }
        else
        {
            WriteByte(0);
        }
        Inline(spec.ExternalIPs);
        Inline(spec.ExternalName);
        Shared(spec.ExternalTrafficPolicy);
        Shared(spec.InternalTrafficPolicy);
        Inline(spec.LoadBalancerIP);
        if (service.Status is { } status)
        {
            WriteByte(status.LoadBalancer is null ? (byte)1 : (byte)2);
            if (status.LoadBalancer is { } balancer)
            {
                WriteCount(balancer.Ingress.Count);
                foreach (var ingress in balancer.Ingress.AsSpan())
                {
                    Inline(ingress.Ip);
                    Inline(ingress.Hostname);
                }
            }
        }
        else
        {
            WriteByte(0);
        }
    }

    /// <summary>Writes one Endpoints.</summary>
    public void Write(Endpoints endpoints)
    {
        Write(endpoints.Metadata);
        WriteCount(endpoints.Subsets.Count);
        foreach (var subset in endpoints.Subsets.AsSpan())
        {
            Write(subset.Addresses);
            Write(subset.NotReadyAddresses);
            if (Reference(subset.Ports)) continue;
            WriteCount(subset.Ports.Count);
            foreach (var port in subset.Ports.AsSpan())
            {
                Shared(port.Name);
                WriteInt(port.Port);
                Shared(port.Protocol);
            }
        }
    }

    private void Write(ValueList<ServicePort> ports)
    {
        WriteCount(ports.Count);
        foreach (var port in ports.AsSpan())
        {
            Shared(port.Name);
            Shared(port.Protocol);
            WriteInt(port.Port);
            if (port.TargetPort is { } target)
            {
                WriteByte(1);
                WriteInt(target.IntValue);
                Shared(target.StringValue);
            }
            else
            {
                WriteByte(0);
            }
            WriteInt(port.NodePort);
            Shared(port.AppProtocol);
        }
    }

    private void Write(ObjectMeta meta)
    {
        Inline(meta.Name);
        Shared(meta.Namespace);
        Write(meta.Labels);
        Write(meta.Annotations);
    }

    private void Write(ValueList<EndpointAddress> addresses)
    {
        WriteCount(addresses.Count);
        foreach (var address in addresses.AsSpan())
        {
            Inline(address.Ip);
            Inline(address.Hostname);
            Shared(address.NodeName);
            WriteBool(address.Serving);
            WriteBool(address.Terminating);
            Shared(address.Zone);
            WriteCount(address.ForZones.Count);
            foreach (var zone in address.ForZones.AsSpan()) Shared(zone);
            if (address.TargetRef is { } target)
            {
                WriteByte(1);
                Shared(target.Kind);
                Shared(target.Namespace);
                Inline(target.Name);
                Inline(target.Uid);
            }
            else
            {
                WriteByte(0);
            }
        }
    }

    private void Write(ValueMap map)
    {
        if (Reference(map)) return;
        WriteCount(map.Count);
        var keys = map.KeySpan;
        var values = map.ValueSpan;
        for (var i = 0; i < keys.Length; i++)
        {
            Shared(keys[i]);
            Shared(values[i]);
        }
    }

    private void Inline(ValueList<string> list)
    {
        WriteCount(list.Count);
        foreach (var text in list.AsSpan()) Inline(text);
    }

    // 0 and false: a new object, written next (the reader numbers it in the same order); else 1 + the earlier one's number.
    private bool Reference(object value)
    {
        if (_objects.TryGetValue(value, out var index))
        {
            WriteVarint((uint)index + 1);
            return true;
        }
        _objects.Add(value, _objects.Count);
        WriteVarint(0);
        return false;
    }

    // A string many items repeat: once per page, then its index.
    private void Shared(string? text)
    {
        if (text is null)
        {
            WriteVarint(NullCode);
            return;
        }
        if (_table.TryGetValue(text, out var index))
        {
            WriteVarint((uint)index + FirstIndexCode);
            return;
        }
        _table.Add(text, _table.Count);
        WriteVarint(NewCode);
        WriteUtf8(text);
    }

    // A string unique to its item (names, IPs, uids): its length + 1 (0: null), then its UTF-8 bytes.
    private void Inline(string? text)
    {
        if (text is null) WriteVarint(0);
        else WriteUtf8(text, 1);
    }

    private void WriteUtf8(string text, uint lengthBias = 0)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        Reserve(count + 10);
        WriteVarint((uint)count + lengthBias);
        _length += Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length));
    }

    private void WriteCount(int count) => WriteVarint((uint)count);

    private void WriteBool(bool? value) => WriteByte(value switch { null => 0, false => 1, true => 2 });

    private void WriteInt(int value) => WriteVarint(ZigZag(value));

    // 0: null; otherwise the zigzagged value + 1.
    private void WriteInt(int? value) => WriteVarint(value is { } number ? ZigZag(number) + 1UL : 0);

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private void WriteByte(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    private void WriteVarint(ulong value)
    {
        Reserve(10);
        while (value >= 0x80)
        {
            _buffer[_length++] = (byte)(value | 0x80);
            value >>= 7;
        }
        _buffer[_length++] = (byte)value;
    }

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
    }
}
