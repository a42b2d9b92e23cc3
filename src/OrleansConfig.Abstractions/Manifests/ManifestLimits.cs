namespace OrleansConfig;

/// <summary>Bounds on what <see cref="Manifest.Parse(string, ManifestLimits)"/> reads, so hostile input costs little.</summary>
public sealed class ManifestLimits
{
    /// <summary>The limits a silo applies unless configured otherwise.</summary>
    public static ManifestLimits Default { get; } = new();

    /// <summary>The largest input accepted, in UTF-8 bytes.</summary>
    public long MaxBytes
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 16 * 1024 * 1024;

    /// <summary>The deepest nesting of objects and lists accepted.</summary>
    public int MaxDepth
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 64;

    /// <summary>The most Services and Endpoints (and YAML documents) one input may hold.</summary>
    public int MaxItems
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            field = value;
        }
    } = 100_000;
}
