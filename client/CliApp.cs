using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using OrleansConfig.Cli.Commands;
using OrleansConfig.Cli.Output;

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
            SubscribersCommand.Build(),
            RemoveSourceCommand.Build(),
            ProxyCommand.Build(),
            VersionCommand.Build(),
            HelpCommand.Build(),
        };
        var help = root.Options.OfType<HelpOption>().Single();
        help.Action = new CommandsHelpAction((SynchronousCommandLineAction)help.Action!);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = Build().Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var line in UsageErrors.Describe(parsed)) Console.Error.WriteLine(line);
            return ExitCodes.Usage;
        }
        // Signals are ours (ProcessTerminationTimeout = null): the command ends its work, then the exit code names the signal.
        using var signals = new TerminationSignals();
        return await signals.RunAsync(parsed.InvokeAsync(
            new InvocationConfiguration { EnableDefaultExceptionHandler = false, ProcessTerminationTimeout = null }, signals.Token));
    }
}
