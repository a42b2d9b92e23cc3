using System.CommandLine;
using OrleansConfig.Cli.Output;
using OrleansConfig.Reporting;

namespace OrleansConfig.Cli.Commands;

/// <summary><c>subscribers [-o table|json]</c>: every ServiceConfig/EndpointsConfig/ServiceCatalog following the union, and how far behind.</summary>
internal static class SubscribersCommand
{
    public static Command Build()
    {
        var output = CommonOptions.Output().WithFormats();
        var command = new Command(
            "subscribers", "Show who follows the union: each subscriber's handlers, applied version, lag and last error") { output };
        command.SetAction((parsed, cancellationToken) => CommandRunner.RunAsync(parsed, cancellationToken, async (connection, token) =>
        {
            var subscribers = await connection.Client.GetSubscriberRegistry().List().WaitAsync(token);
            if (parsed.GetValue(output) == "json") Console.Out.WriteLine(SubscriberStatusJson.Serialize(subscribers));
            else if (subscribers.Count == 0) Console.Error.WriteLine("No subscribers found.");
            else Console.Out.Write(SubscribersTable.Render(subscribers, DateTimeOffset.UtcNow));
            return ExitCodes.Ok;
        }));
        return command;
    }
}
