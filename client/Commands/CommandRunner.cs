using System.CommandLine;
using OrleansConfig.Cli.Connection;

namespace OrleansConfig.Cli.Commands;

/// <summary>Connects, runs one command's work, and turns what went wrong into an exit code and one message.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(
        ParseResult parsed,
        CancellationToken cancellationToken,
        Func<ClusterConnection, CancellationToken, Task<int>> work,
        Func<CancellationToken, Task>? before = null)
    {
        var gateways = parsed.GetValue(CommonOptions.Gateway) ?? [];
        try
        {
            // Input is read and checked before connecting, so bad input is refused even with no cluster.
            if (before is not null) await before(cancellationToken);
            await using var connection = await ClusterConnection.ConnectAsync(gateways, cancellationToken);
            try
            {
                return await work(connection, cancellationToken);
            }
            catch (Exception ex) when (ClusterConnection.IsConnectionLoss(ex))
            {
                throw new ClusterUnreachableException(connection.Gateways, ex.GetBaseException().Message.Split('\n')[0].Trim(), ex);
            }
        }
        catch (InputRejectedException ex)
        {
            foreach (var error in ex.Errors) Console.Error.WriteLine(error);
            return ExitCodes.Rejected;
        }
        catch (UsageException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Usage;
        }
        catch (ClusterUnreachableException ex)
        {
            Console.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.Unreachable;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
    }
}
