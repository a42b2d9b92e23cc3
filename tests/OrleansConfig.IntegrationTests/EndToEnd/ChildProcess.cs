using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>
/// A built app run as <c>dotnet app.dll args</c>, its output collected line by line. Disposing kills the
/// whole process tree, so a failed test leaves nothing running.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Channel<string> _stdoutLines = Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stderrClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Stdout
    {
        get { lock (_stdout) return _stdout.ToString(); }
    }

    public string Stderr
    {
        get { lock (_stderr) return _stderr.ToString(); }
    }

    public static ChildProcess Start(string dll, IEnumerable<string> args, string? stdin = null, IReadOnlyDictionary<string,
        string>? environment = null)
    {
        var info = new ProcessStartInfo(BuiltApps.DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        info.ArgumentList.Add(dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        // Only what a test passes: no gateway or Orleans settings leak in from the environment.
        foreach (
            var key in info.Environment.Keys.Where(k =>
            k.StartsWith("ORLEANS", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Sources__", StringComparison.OrdinalIgnoreCase)
            || k.StartsWith("Logging__", StringComparison.OrdinalIgnoreCase) || IsUrlsVariable(k)).ToList())
        {
            info.Environment.Remove(key);
        }
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) info.Environment[key] = value;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";

        var process = new Process { StartInfo = info };
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => OnLine(e.Data, child._stdout, child._stdoutClosed, child._stdoutLines.Writer);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data, child._stderr, child._stderrClosed, null);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        return child;
    }

    /// <summary>Waits for the process to end (and its output to be read); false if it is still running at the timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            await Task.WhenAll(_stdoutClosed.Task, _stderrClosed.Task).WaitAsync(cancel.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Reads standard output line by line until one matches, or throws at the timeout.</summary>
    public async Task<string> ReadLineUntilAsync(Func<string, bool> match, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            while (await _stdoutLines.Reader.WaitToReadAsync(cancel.Token))
            {
                while (_stdoutLines.Reader.TryRead(out var line))
                {
                    if (match(line)) return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        throw new TimeoutException($"no matching line within {timeout}; {Describe()}");
    }

    /// <summary>Asks the process to stop as Ctrl+C or a container runtime would (SIGTERM).</summary>
    public void Terminate()
    {
        if (HasExited) return;
        using var kill =
            Process.Start(
            new ProcessStartInfo("kill",
            ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit(5000);
    }

    public string Describe() =>
        $"exit {(HasExited ? ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "(running)")}\n--- stdout " +
            $"---\n{Stdout}\n--- stderr ---\n{Stderr}";

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }
        _process.Dispose();
    }

    /// <summary>Urls to serve would give a silo HTTP the test did not ask for.</summary>
    private static bool IsUrlsVariable(string key) =>
        key.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase) || key.Equals("URLS", StringComparison.OrdinalIgnoreCase)
        || key.Equals("DOTNET_URLS", StringComparison.OrdinalIgnoreCase);

    private static void OnLine(string? line, StringBuilder into, TaskCompletionSource closed, ChannelWriter<string>? lines)
    {
        if (line is null)
        {
            lines?.TryComplete();
            closed.TrySetResult();
            return;
        }
        lock (into) into.Append(line).Append('\n');
        lines?.TryWrite(line);
    }
}
