using System.CommandLine;
using System.Reflection;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>version [--client]</c>: this client's version (its assembly's informational version), then whether the cluster
/// answers, at which gateways and union version. The silos report no version of their own.
/// </summary>
internal static class VersionCommand
{
    public static string ClientVersion =>
        typeof(VersionCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VersionCommand).Assembly.GetName().Version?.ToString()
        ?? "unknown";

    public static Command Build()
    {
        var client = new Option<bool>("--client") { Description = "Only the client's version; do not connect" };
        var command = new Command("version", "Show the client's version and whether the cluster answers") { client };
        command.SetAction((parsed, cancellationToken) =>
        {
            Console.Out.WriteLine($"Client Version: {ClientVersion}");
            if (parsed.GetValue(client)) return Task.FromResult(ExitCodes.Ok);
            return CommandRunner.RunAsync(parsed, cancellationToken, async (connection, _) =>
            {
                var version = await connection.Client.GetAggregator().GetVersion();
                Console.Out.WriteLine($"Cluster: reachable at {connection.Gateways} (union version {version})");
                return ExitCodes.Ok;
            });
        });
        return command;
    }
}
