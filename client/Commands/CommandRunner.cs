using System.CommandLine;
using OrleansConfig.Cli.Connection;

namespace OrleansConfig.Cli.Commands;

/// <summary>Connects, runs one command's work, and turns what went wrong into an exit code and one message.</summary>
internal static class CommandRunner
{
    /// <summary>
    /// How long a command keeps trying while calls fail because a silo just died: until the cluster declares it dead
    /// (seconds), its grains' calls are still sent to it. Every command's change is idempotent, so trying again is safe.
    /// </summary>
    public static readonly TimeSpan FailoverBudget = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan FailoverPause = TimeSpan.FromMilliseconds(500);

    /// <param name="longRunning">A command that follows the cluster for a long time keeps every gateway it was given,
    /// even one that is down now.</param>
    public static async Task<int> RunAsync(
        ParseResult parsed,
        CancellationToken cancellationToken,
        Func<ClusterConnection, CancellationToken, Task<int>> work,
        Func<CancellationToken, Task>? before = null,
        bool longRunning = false)
    {
        var settings = CommonOptions.Connection(parsed) with { KeepUnreachableGateways = longRunning };
        try
        {
            // Input is read and checked before connecting, so bad input is refused even with no cluster.
            if (before is not null) await before(cancellationToken);
            await using var connection = await ClusterConnection.ConnectAsync(settings, cancellationToken);
            try
            {
                return await WithFailover(connection, work, cancellationToken);
            }
            catch (Exception ex) when (ClusterConnection.IsConnectionLoss(ex))
            {
                throw new ClusterUnreachableException(connection.Gateways, ex.GetBaseException().Message.Split('\n')[0].Trim(), ex);
            }
            catch (ForbiddenException ex)
            {
                // kubectl's word for a refusal by identity; nothing was changed.
                Console.Error.WriteLine(ex.Message);
                return ExitCodes.Rejected;
            }
            catch (Exception ex) when (
                ex is not (InputRejectedException or UsageException or ClusterUnreachableException or OperationCanceledException))
            {
                // The cluster answered with a failure of its own (storage down, a silo failing over): report it, do not crash.
                Console.Error.WriteLine(
                    $"error: the cluster at {connection.Gateways} could not serve the command: " +
                    $"{ex.GetBaseException().Message.Split('\n')[0].Trim()}");
                return ExitCodes.Unreachable;
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

    private static async Task<int> WithFailover(ClusterConnection connection, Func<ClusterConnection, CancellationToken, Task<int>> work,
        CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + FailoverBudget;
        while (true)
        {
            try
            {
                return await work(connection, cancellationToken);
            }
            catch (Exception ex) when (ClusterConnection.IsConnectionLoss(ex) && DateTime.UtcNow + FailoverPause < deadline)
            {
                await Task.Delay(FailoverPause, cancellationToken);
            }
        }
    }
}
