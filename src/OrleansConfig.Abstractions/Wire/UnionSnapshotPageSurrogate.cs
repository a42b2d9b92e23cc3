namespace OrleansConfig.Wire;

/// <summary>
/// <see cref="UnionSnapshotPage"/> as it crosses the wire: its items in the compact form of <see cref="ItemWriter"/>
/// (one byte array, strings the items repeat sent once) rather than Orleans' per-field encoding of each object, which
/// at a million items is most of what a new subscriber waits for.
/// </summary>
[GenerateSerializer, Alias("OrleansConfig.UnionSnapshotPageSurrogate")]
internal struct UnionSnapshotPageSurrogate
{
    /// <summary>The page's version.</summary>
    [Id(0)] public UnionVersion Version;
    /// <summary>The page's Services then Endpoints, as <see cref="ItemWriter.Encode"/> writes them.</summary>
    [Id(1)] public byte[] Items;
    /// <summary>The page's continue token.</summary>
    [Id(2)] public string? Continue;
    /// <summary>Whether the read expired.</summary>
    [Id(3)] public bool Expired;
    /// <summary>The read's item count.</summary>
    [Id(4)] public long Total;
    /// <summary>How many Services <see cref="Items"/> holds (known before it is decoded).</summary>
    [Id(5)] public int ServiceCount;
    /// <summary>How many Endpoints <see cref="Items"/> holds.</summary>
    [Id(6)] public int EndpointCount;
}

/// <summary>Converts snapshot pages to and from their wire form.</summary>
[RegisterConverter]
internal sealed class UnionSnapshotPageConverter : IConverter<UnionSnapshotPage, UnionSnapshotPageSurrogate>
{
    /// <inheritdoc/>
    public UnionSnapshotPage ConvertFromSurrogate(in UnionSnapshotPageSurrogate surrogate)
    {
        // Decoded later, off the connection's reading thread (see CompactItems).
        var items = new CompactItems(surrogate.Items ?? [], surrogate.ServiceCount, surrogate.EndpointCount);
        return new UnionSnapshotPage
        {
            Version = surrogate.Version,
            Services = items.Services,
            Endpoints = items.Endpoints,
            Continue = surrogate.Continue,
            Expired = surrogate.Expired,
            Total = surrogate.Total,
        };
    }

    /// <inheritdoc/>
    public UnionSnapshotPageSurrogate ConvertToSurrogate(in UnionSnapshotPage value) => new()
    {
        Version = value.Version,
        Items = ItemWriter.Encode(value.Services, value.Endpoints),
        Continue = value.Continue,
        Expired = value.Expired,
        Total = value.Total,
        ServiceCount = value.Services.Count,
        EndpointCount = value.Endpoints.Count,
    };
}
