namespace OrleansConfig.Sources.File;

/// <summary>One manifest file as read now: its content, or why it could not be used.</summary>
/// <param name="Name">The file as shown to people (the configured path joined with the file name).</param>
internal sealed record FileRead(string Name, FileContent? Content, IReadOnlyList<FieldError> Errors)
{
    /// <summary>What a good file's parse warned of (<c>unknown field "spec.sessionAffinty"</c>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public static FileRead Good(string name, FileContent content, IReadOnlyList<string>? warnings = null) =>
        new(name, content, []) { Warnings = warnings ?? [] };

    public static FileRead Bad(string name, IReadOnlyList<FieldError> errors) => new(name, null, errors);

    public static FileRead Bad(string name, string message) => new(name, null, [new FieldError("", message)]);
}
