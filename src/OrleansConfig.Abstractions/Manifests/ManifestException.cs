namespace OrleansConfig;

/// <summary>A manifest was refused: <see cref="Errors"/> names every problem found, each with its path.</summary>
public sealed class ManifestException : Exception
{
    /// <summary>A rejection naming every field error of the document.</summary>
    public ManifestException(IReadOnlyList<FieldError> errors)
        : base(string.Join('\n', errors))
    {
        Errors = [.. errors];
    }

    /// <summary>Every field error found, each with its path and message.</summary>
    public IReadOnlyList<FieldError> Errors { get; }
}
