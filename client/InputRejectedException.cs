namespace OrleansConfig.Cli;

/// <summary>The input was refused (exit code 1); each error is one <c>path: message</c> line.</summary>
internal sealed class InputRejectedException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
