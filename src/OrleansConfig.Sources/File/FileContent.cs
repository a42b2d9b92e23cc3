namespace OrleansConfig.Sources.File;

/// <summary>What one manifest file holds.</summary>
internal sealed record FileContent(IReadOnlyList<Service> Services, IReadOnlyList<Endpoints> Endpoints)
{
    public static readonly FileContent Empty = new([], []);

    /// <summary>The file's EndpointSlices (<c>discovery.k8s.io/v1</c>).</summary>
    public IReadOnlyList<EndpointSlice> EndpointSlices { get; init; } = [];

    public int Count => Services.Count + Endpoints.Count + EndpointSlices.Count;

    public bool SameAs(FileContent other) =>
        Services.SequenceEqual(other.Services) && Endpoints.SequenceEqual(other.Endpoints) && EndpointSlices.SequenceEqual(other.EndpointSlices);
}
