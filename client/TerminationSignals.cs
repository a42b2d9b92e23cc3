using System.Runtime.InteropServices;

namespace OrleansConfig.Cli;

/// <summary>
/// Ctrl+C and SIGTERM cancel the running command instead of killing the process, so <c>watch</c> unsubscribes and
/// the client leaves the cluster; the exit code is still the shell's 128 + the signal. A second signal leaves at once.
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    /// <summary>How long a stopped command may take to clean up (unsubscribe, close its connection) before the process
    /// leaves anyway.</summary>
    public static readonly TimeSpan CleanupLimit = TimeSpan.FromSeconds(8);

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled by the first Ctrl+C or SIGTERM.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>130 after Ctrl+C, 143 after SIGTERM; null while no signal came.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code and > 0 ? code : null;

    /// <summary>The command's exit code, or the signal's once one came; after a signal waits at most <see cref="CleanupLimit"/>.</summary>
    public async Task<int> RunAsync(Task<int> command)
    {
        var cleanupOver = _received.Task.ContinueWith(_ => Task.Delay(CleanupLimit), TaskScheduler.Default).Unwrap();
        if (await Task.WhenAny(command, cleanupOver) == command)
        {
            var code = await command;
            return ExitCode ?? code;
        }
        return ExitCode ?? 1;
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _stop.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        var code = context.Signal == PosixSignal.SIGINT ? 130 : 143;
        if (Interlocked.CompareExchange(ref _exitCode, code, 0) != 0)
        {
            // Asked twice: let the runtime end the process now.
            return;
        }
        context.Cancel = true;
        _stop.Cancel();
        _received.TrySetResult();
    }
}
