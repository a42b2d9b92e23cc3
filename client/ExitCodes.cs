namespace OrleansConfig.Cli;

/// <summary>The CLI's exit codes (DESIGN.md).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Rejected = 1;
    public const int Usage = 2;
    public const int Unreachable = 3;
}
