using System.Diagnostics;

namespace OrleansConfig.Testing;

/// <summary>
/// A server binary a test runs (etcd, redis-server): its last lines of output kept for failure messages, and its
/// whole process tree killed when disposed, whatever happened in the test.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int KeptLines = 50;

    private readonly Queue<string> _log = new();
    private readonly Process _process;

    private ServerProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Log
    {
        get
        {
            lock (_log) return string.Join('\n', _log);
        }
    }

    public static ServerProcess Start(string executable, IEnumerable<string> args, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (workingDirectory is not null) start.WorkingDirectory = workingDirectory;
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {executable}");
        var server = new ServerProcess(process);
        process.ErrorDataReceived += (_, e) => server.Remember(e.Data);
        process.OutputDataReceived += (_, e) => server.Remember(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return server;
    }

    /// <summary>Waits until <paramref name="ready"/> holds; fails at once if the server exits.</summary>
    /// <param name="notReady">What the timeout says, after the server's name: "did not answer PING".</param>
    public async Task WaitUntilReady(Func<Task<bool>> ready, string name, string notReady, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        // Checked before the probe, so a server that lost the port race is not mistaken for one that answers.
        while (HasExited || !await ready())
        {
            if (HasExited) throw new InvalidOperationException($"{name} exited with {ExitCode} at start:\n{Log}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} {notReady} within {timeout}:\n{Log}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    /// <summary>The binary on PATH or in /usr/bin; missing, the test fails saying what to install: it is never skipped.</summary>
    public static string Find(string name, string missing)
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin");
        foreach (var directory in directories)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException($"'{name}' was not found on PATH or in /usr/bin: {missing}");
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > KeptLines) _log.Dequeue();
        }
    }
}
