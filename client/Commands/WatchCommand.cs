using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>watch KIND[,KIND] [-n NS | -A] [-o table|wide|json]</c>: the union now and after every change, until Ctrl+C. A table
/// is redrawn (the screen cleared when it is a terminal, else a separator line); JSON is one List per line.
/// </summary>
internal static class WatchCommand
{
    public static Command Build()
    {
        var kind = ResourceKinds.Argument();
        var output = CommonOptions.Output().WithFormats("table", "wide", "json");
        var @namespace = CommonOptions.Namespace("Only this namespace (default: every namespace)");
        var all = CommonOptions.AllNamespaces();
        var watch =
            new Command("watch", "Show the Services and/or Endpoints the cluster serves, again after every change") { kind, output,
            @namespace, all };
        ResourceKinds.RequireKind(watch, kind);
        watch.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, ct) =>
        {
            var kinds = ResourceKinds.Parse(parsed.GetRequiredValue(kind), out var _)!;
            var ns = parsed.GetValue(all) ? null : parsed.GetValue(@namespace);
            var printer = new WatchPrinter(kinds, parsed.GetValue(output) ?? "table", ns);
            await using var services =
                kinds.Contains(ResourceKind.Services) ? new ServiceConfig(connection.Client, connection.LoggerFactory) : null;
            await using var endpoints =
                kinds.Contains(ResourceKind.Endpoints) ? new EndpointsConfig(connection.Client, connection.LoggerFactory) : null;
            services?.RegisterHandler(items => printer.Services(items, services.Version));
            endpoints?.RegisterHandler(items => printer.Endpoints(items, endpoints.Version));
            return await UntilStopped(ct);
        }, longRunning: true));
        return watch;
    }

    private static async Task<int> UntilStopped(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        return ExitCodes.Ok;
    }
}
