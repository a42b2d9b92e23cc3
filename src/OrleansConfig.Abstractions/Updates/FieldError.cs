namespace OrleansConfig;

/// <summary>One reason an input was refused: where (<c>items[2].spec.ports[0].port</c>) and why.</summary>
[GenerateSerializer, Immutable, Alias("OrleansConfig.FieldError")]
public sealed record FieldError([property: Id(0)] string Path, [property: Id(1)] string Message)
{
    /// <summary><c>path: message</c>, or the message alone when the error has no path.</summary>
    public override string ToString() => Path.Length == 0 ? Message : $"{Path}: {Message}";
}
