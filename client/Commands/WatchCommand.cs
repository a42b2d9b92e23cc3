using System.CommandLine;
using OrleansConfig.Cli.Output;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>watch services|endpoints [-o table|json]</c>: the union now and after every change, until Ctrl+C. A table
/// is redrawn (the screen cleared when it is a terminal, else a separator line); JSON is one List per line.
/// </summary>
internal static class WatchCommand
{
    public static Command Build()
    {
        var output = CommonOptions.Output().WithFormats();
        var watch = new Command("watch", "Show the Services or Endpoints the cluster serves, again after every change") { output };
        var services = new Command("services", "Watch services");
        services.Aliases.Add("service");
        services.Aliases.Add("svc");
        services.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, ct) =>
        {
            await using var config = new ServiceConfig(connection.Client, connection.LoggerFactory);
            var printer = new WatchPrinter<Service>(parsed.GetValue(output) == "json", "services", Render.ServicesTable, s => Manifest.ToJson(s, []));
            config.RegisterHandler(items => printer.Print(items, config.Version));
            return await UntilStopped(ct);
        }, longRunning: true));
        var endpoints = new Command("endpoints", "Watch endpoints");
        endpoints.Aliases.Add("endpoint");
        endpoints.Aliases.Add("ep");
        endpoints.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, ct) =>
        {
            await using var config = new EndpointsConfig(connection.Client, connection.LoggerFactory);
            var printer = new WatchPrinter<Endpoints>(parsed.GetValue(output) == "json", "endpoints", Render.EndpointsTable, e => Manifest.ToJson([], e));
            config.RegisterHandler(items => printer.Print(items, config.Version));
            return await UntilStopped(ct);
        }, longRunning: true));
        watch.Subcommands.Add(services);
        watch.Subcommands.Add(endpoints);
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
