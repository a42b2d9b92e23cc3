namespace OrleansConfig;

/// <summary>
/// A call the cluster refused because of who made it: a write the caller's identity is not allowed
/// (<c>forbidden: reader may not write source manual</c>), or a client calling a door that exists only for the
/// silo's own use. Nothing was changed.
/// </summary>
[GenerateSerializer, Alias("OrleansConfig.ForbiddenException")]
public sealed class ForbiddenException : Exception
{
    /// <summary>A refusal whose message names what was refused and to whom.</summary>
    public ForbiddenException(string message)
        : base(message)
    {
    }
}
