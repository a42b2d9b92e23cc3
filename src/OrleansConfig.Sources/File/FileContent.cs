namespace OrleansConfig.Sources.File;

/// <summary>What one manifest file holds.</summary>
internal sealed record FileContent(IReadOnlyList<Service> Services, IReadOnlyList<Endpoints> Endpoints)
{
    public static readonly FileContent Empty = new([], []);

    public int Count => Services.Count + Endpoints.Count;

    public bool SameAs(FileContent other) =>
        Services.SequenceEqual(other.Services) && Endpoints.SequenceEqual(other.Endpoints);
}
