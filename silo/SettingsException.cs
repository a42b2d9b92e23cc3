namespace OrleansConfig.Silo;

/// <summary>Settings the silo refuses to start with; each message names its key.</summary>
internal sealed class SettingsException(IReadOnlyList<string> errors) : Exception(string.Join(Environment.NewLine, errors))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
