using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>
/// Debian's headless Chromium, driven over the DevTools protocol on a loopback port it picks itself. A missing
/// binary fails the test with how to install it; it is never skipped. Disposing kills the browser and its helpers.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly string _profile;
    private CdpClient? _cdp;

    private Chromium(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser's log so far, for failure messages.</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<Chromium> StartAsync(CancellationToken cancellationToken = default)
    {
        var binary = Find();
        var profile = Directory.CreateTempSubdirectory("orleans-config-chromium-").FullName;
        var info = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            $"--user-data-dir={profile}",
            // Containers give /dev/shm little room; Chromium's renderers would crash in it.
            "--disable-dev-shm-usage", "--hide-scrollbars", "--window-size=1360,1000",
            // Port 0: Chromium picks a free loopback port and writes it to DevToolsActivePort in the profile.
            "--remote-debugging-port=0",
            "about:blank",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = info };
        var chromium = new Chromium(process, profile);
        process.OutputDataReceived += (_, e) => chromium.Append(e.Data);
        process.ErrorDataReceived += (_, e) => chromium.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            chromium._cdp = await CdpClient.ConnectAsync(await chromium.DevToolsUrlAsync(cancellationToken), cancellationToken);
            return chromium;
        }
        catch
        {
            await chromium.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a new tab at <c>about:blank</c>.</summary>
    public async Task<BrowserPage> OpenPageAsync()
    {
        var cdp = _cdp!;
        var target = await cdp.SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" });
        var attached = await cdp.SendAsync("Target.attachToTarget", new JsonObject
        {
            ["targetId"] = target.GetProperty("targetId").GetString(),
            ["flatten"] = true,
        });
        var page = new BrowserPage(cdp, attached.GetProperty("sessionId").GetString()!);
        await cdp.SendAsync("Page.enable", sessionId: attached.GetProperty("sessionId").GetString());
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cdp is not null) await _cdp.DisposeAsync();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Never started, or already gone.
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary profile is harmless.
        }
    }

    private static string Find()
    {
        string[] candidates = ["/usr/bin/chromium", "/usr/lib/chromium/chromium", "/usr/bin/chromium-browser"];
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "chromium"));
        return candidates.Concat(onPath).FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException(
                "chromium is not installed, and the browser test needs it: install Debian's package with " +
                "`apt-get install -y chromium` (scripts/test.sh installs it when missing)");
    }

    /// <summary>Waits for Chromium to write its DevTools port and browser path into the profile.</summary>
    private async Task<Uri> DevToolsUrlAsync(CancellationToken cancellationToken)
    {
        var file = Path.Combine(_profile, "DevToolsActivePort");
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {_process.ExitCode} while starting:\n{Output}");
            }
            if (File.Exists(file))
            {
                var lines = (await File.ReadAllLinesAsync(file, cancellationToken)).Where(l => l.Length > 0).ToArray();
                if (lines.Length >= 2 && int.TryParse(lines[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                {
                    return new Uri($"ws://127.0.0.1:{port}{lines[1]}");
                }
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"chromium did not open its DevTools port within {StartTimeout}:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Append(line).Append('\n');
    }
}
