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

    private ServerProcess? _process;

    public int Port { get; private set; } = FreePorts.Take(1)[0];

    /// <summary>When set, Redis asks for it (<c>--requirepass</c>), and the connection string gives it.</summary>
    public string? Password { get; init; }

    /// <summary>The StackExchange.Redis connection string the silos and clients use.</summary>
    public string ConnectionString => Password is null ? $"127.0.0.1:{Port}" : $"127.0.0.1:{Port},password={Password}";

    public string Log => _process?.Log ?? "";

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
                Port = FreePorts.Take(1)[0];
            }
        }
    }

    private async Task StartAsync()
    {
        List<string> args =
        [
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
            "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loglevel", "warning",
        ];
        if (Password is not null) args.AddRange(["--requirepass", Password]);
        var missing = "the multi-silo tests need a real Redis. " +
            "Install Debian's redis-server (scripts/test.sh does), then run the tests again.";
        _process = ServerProcess.Start(ServerProcess.Find("redis-server", missing), args, Path.GetTempPath());
        await _process.WaitUntilReady(AnswersPing, "redis-server", "did not answer PING", StartTimeout);
    }

    public async Task DisposeAsync()
    {
        if (_process is not { } process) return;
        _process = null;
        await process.DisposeAsync();
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
}
