using System.CommandLine;
using OrleansConfig.Cli.Commands;

namespace OrleansConfig.Cli;

/// <summary>The command tree and how a parse error becomes exit code 2.</summary>
internal static class CliApp
{
    public static RootCommand Build()
    {
        var root = new RootCommand("orleans-config: read and change the service configuration an OrleansConfig cluster serves.")
        {
            CommonOptions.Gateway,
            CommonOptions.Redis,
            CommonOptions.ClusterId,
            CommonOptions.ServiceId,
            CommonOptions.TlsCert,
            CommonOptions.TlsKey,
            CommonOptions.TlsCa,
            GetCommand.Build(),
            WatchCommand.Build(),
            ApplyCommand.Build(ApplyCommand.Mode.Apply),
            ApplyCommand.Build(ApplyCommand.Mode.Replace),
            DeleteCommand.Build(),
            SourcesCommand.Build(),
            RemoveSourceCommand.Build(),
            ProxyCommand.Build(),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) Console.Error.WriteLine($"error: {error.Message}");
            Console.Error.WriteLine("Run 'orleans-config --help' for usage.");
            return ExitCodes.Usage;
        }
        // Signals are ours (ProcessTerminationTimeout = null): the command ends its work, then the exit code names the signal.
        using var signals = new TerminationSignals();
        return await signals.RunAsync(parsed.InvokeAsync(
            new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, signals.Token));
    }
}
