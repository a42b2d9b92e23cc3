namespace OrleansConfig.Cli;

/// <summary>A usage problem found after parsing, e.g. in an environment variable (exit code 2).</summary>
internal sealed class UsageException(string message) : Exception(message);
