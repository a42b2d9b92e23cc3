namespace OrleansConfig;

/// <summary>A manifest was refused: <see cref="Errors"/> names every problem found, each with its path.</summary>
public sealed class ManifestException : Exception
{
    public ManifestException(IReadOnlyList<FieldError> errors)
        : base(string.Join('\n', errors))
    {
        Errors = [.. errors];
    }

    public IReadOnlyList<FieldError> Errors { get; }
}
