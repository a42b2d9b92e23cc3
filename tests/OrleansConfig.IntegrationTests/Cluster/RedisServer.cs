using System.Diagnostics;
using System.Net.Sockets;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>
/// A real redis-server on a free loopback port, in memory only (no snapshots, no append-only file). A missing
/// binary fails the test with a message saying what to install: it is never skipped.
/// </summary>
public sealed class RedisServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private readonly Queue<string> _log = new();
    private Process? _process;

    public int Port { get; private set; } = FreePorts.Take(1)[0];

    /// <summary>When set, Redis asks for it (<c>--requirepass</c>), and the connection string gives it.</summary>
    public string? Password { get; init; }

    /// <summary>The StackExchange.Redis connection string the silos and clients use.</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    public string Log
    {
        get
        {
            lock (_log) return string.Join('\n', _log);
        }
    }

    public async Task InitializeAsync()
    {
        // A free port found by binding and releasing it can be taken before redis binds it: try new ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartAsync();
                return;
            }
            catch (InvalidOperationException) when (attempt < 3
                && Log.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await DisposeAsync();
                lock (_log) _log.Clear();
                Port = FreePorts.Take(1)[0];
            }
        }
    }

    private async Task StartAsync()
    {
        var start = new ProcessStartInfo(FindServer())
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])["--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning"])
        {
            start.ArgumentList.Add(arg);
        }
        if (Password is not null)
        {
            start.ArgumentList.Add("--requirepass");
            start.ArgumentList.Add(Password);
        }
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        var deadline = DateTime.UtcNow + StartTimeout;
        // Checked before the ping, so a server that lost the port race is not mistaken for one that answers.
        while (process.HasExited || !await AnswersPing())
        {
            if (process.HasExited) throw new InvalidOperationException($"redis-server exited with {process.ExitCode} at start:\n{Log}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"redis-server did not answer PING within {StartTimeout}:\n{Log}");
            await Task.Delay(20);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }

    /// <summary>Sends one inline command (e.g. <c>DBSIZE</c>) and returns the first line of the reply.</summary>
    public async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
        await using var stream = client.GetStream();
        var auth = Password is null ? "" : $"AUTH {Password}\r\n";
        await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(auth + command + "\r\n"), timeout.Token);
        using var reader = new StreamReader(stream, System.Text.Encoding.ASCII);
        if (Password is not null && await reader.ReadLineAsync(timeout.Token) is var reply && reply != "+OK") return reply ?? "";
        return await reader.ReadLineAsync(timeout.Token) ?? "";
    }

    private async Task<bool> AnswersPing()
    {
        try
        {
            return await CommandAsync("PING") == "+PONG";
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_log)
        {
            _log.Enqueue(line);
            while (_log.Count > 50) _log.Dequeue();
        }
    }

    private static string FindServer()
    {
        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Append("/usr/bin");
        foreach (var directory in directories)
        {
            var path = Path.Combine(directory, "redis-server");
            if (File.Exists(path)) return path;
        }
        throw new InvalidOperationException(
            "'redis-server' was not found on PATH or in /usr/bin: the multi-silo tests need a real Redis. " +
            "Install Debian's redis-server (scripts/test.sh does), then run the tests again.");
    }
}
