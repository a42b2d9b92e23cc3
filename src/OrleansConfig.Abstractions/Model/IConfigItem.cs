namespace OrleansConfig;

/// <summary>What <see cref="Service"/> and <see cref="Endpoints"/> share, so state and union code is written once.</summary>
public interface IConfigItem
{
    /// <summary>Name, namespace, labels and annotations.</summary>
    ObjectMeta Metadata { get; }

    internal IConfigItem WithMetadata(ObjectMeta metadata);
}
