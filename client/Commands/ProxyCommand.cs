using System.CommandLine;
using System.CommandLine.Parsing;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansConfig.Cli.Output;
using OrleansConfig.Proxy;

namespace OrleansConfig.Cli.Commands;

/// <summary>
/// <c>proxy [--bind IP] [--namespace NS] [--priority SRC,...] [--control IP:PORT] [--max-connections N]
/// [--max-connections-per-listener N] [--idle-timeout HH:MM:SS] [--warning-interval HH:MM:SS]</c>: a userspace TCP proxy
/// for every TCP service port of the union, until Ctrl+C. <c>proxy --list [--control IP:PORT] [-o table|json]</c>: the running
/// proxy's table, read from its control port (no cluster needed).
/// </summary>
internal static class ProxyCommand
{
    public const string DefaultControl = "127.0.0.1:29999";
    private static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    public static Command Build()
    {
        var bind = new Option<string>("--bind")
        {
            Description = "The address the proxy's listeners bind to",
            DefaultValueFactory = _ => "127.0.0.1",
            HelpName = "IP",
            Validators = { r => Check(r, "--bind", v => IPAddress.TryParse(v, out _) ? null : $"\"{v}\" is not an IP address") },
        };
        var @namespace = new Option<string>("--namespace", "-n")
        {
            Description = "Proxy only this namespace's Services (default: every namespace)",
            HelpName = "NS",
            Validators = { r => Check(r, "--namespace", v => v.Length == 0 ? "must not be empty" : null) },
        };
        var priority = new Option<string[]>("--priority")
        {
            Description =
                "When several sources publish the same Service, use the first of these (comma-separated or repeated); sources not " +
                "listed come after, alphabetically",
            HelpName = "SRC,SRC",
            Arity = ArgumentArity.OneOrMore,
            Validators = { CheckPriority },
        };
        var control = new Option<string>("--control")
        {
            Description = $"Where the running proxy serves its table and where --list reads it (port 0 in a running proxy: any free port)",
            DefaultValueFactory = _ => DefaultControl,
            HelpName = "IP:PORT",
            Validators =
                { r => Check(r, "--control", v =>
                IPEndPoint.TryParse(v, out var at) && at.Port is >= 0 and <= 65535 ? null : $"\"{v}\" is not IP:PORT") },
        };
        var defaults = new ProxyOptions();
        var maxConnections =
            Count("--max-connections", "The most connections the proxy carries at once; more are reset at once", defaults.MaxConnections);
        var maxPerListener =
            Count("--max-connections-per-listener", "The most connections one service port carries at once; more are reset at once",
            defaults.MaxConnectionsPerListener);
        var idleTimeout =
            Duration("--idle-timeout", "Close a forwarded connection after this long with no bytes either way", defaults.IdleTimeout,
            ProxyOptions.MaxIdleTimeout);
        var warningInterval =
            Duration("--warning-interval", "At most one per-connection warning of each kind per service port per this interval",
            defaults.WarningInterval, TimeSpan.MaxValue);
        Option[] limits = [maxConnections, maxPerListener, idleTimeout, warningInterval];
        var list = new Option<bool>("--list")
        {
            Description = "Print the running proxy's table (NAMESPACE NAME PORT-NAME SOURCE LISTEN BACKENDS) and exit",
        };
        var output = CommonOptions.Output().WithFormats();
        output.Description = "Output format of --list";

        var command =
            new Command("proxy",
            "Run a TCP proxy for the Services the cluster serves, sending each connection to the next ready endpoint (round-robin)")
        {
            bind, @namespace, priority, control, maxConnections, maxPerListener, idleTimeout, warningInterval, list, output,
        };
        command.Validators.Add(result =>
        {
            if (result.GetValue(list)
                && (result.GetResult(bind) is { Implicit: false } || result.GetResult(@namespace) is not null
                || result.GetResult(priority) is not null
                || limits.Any(o => result.GetResult(o) is { Implicit: false })))
            {
                result.AddError("--list reads a running proxy: it takes only --control and -o");
            }
        });
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var at = IPEndPoint.Parse(parsed.GetValue(control)!);
            if (parsed.GetValue(list)) return await ListAsync(at, parsed.GetValue(output) == "json", cancellationToken);
            var options = new ProxyOptions
            {
                BindAddress = IPAddress.Parse(parsed.GetValue(bind)!),
                Namespace = parsed.GetValue(@namespace),
                Priority = Priorities(parsed.GetValue(priority)),
                MaxConnections = parsed.GetValue(maxConnections),
                MaxConnectionsPerListener = parsed.GetValue(maxPerListener),
                IdleTimeout = parsed.GetValue(idleTimeout),
                WarningInterval = parsed.GetValue(warningInterval),
            };
            return await RunAsync(parsed, options, at, cancellationToken);
        });
        return command;
    }

    private static async Task<int> RunAsync(ParseResult parsed, ProxyOptions options, IPEndPoint controlAt,
        CancellationToken cancellationToken)
    {
        Proxier? proxier = null;
        ControlServer? control = null;
        var idle = new ProxyState(Environment.ProcessId, options.BindAddress.ToString(), []);
        try
        {
            return await CommandRunner.RunAsync(parsed, cancellationToken, async (connection, ct) =>
            {
                // The catalog decides which source's Service and Endpoints win (and logs conflicts); the proxier follows it.
                await using var catalog = new ServiceCatalog(
                    connection.Client, new ServiceCatalogOptions { SourcePriority = options.Priority }, connection.LoggerFactory);
                // Disposed first when the command ends: listeners close (and say so) before the subscription winds down.
                await using var running = new Proxier(options, connection.LoggerFactory, onListener: Print);
                proxier = running;
                running.Follow(catalog);
                return await UntilStopped(ct);
            },
            before: _ =>
            {
                // Taken before connecting, so a second proxy on the same control port is refused at once.
                try
                {
                    control = ControlServer.Start(controlAt, () => proxier?.State() ?? idle, NullLogger.Instance);
                }
                catch (SocketException ex)
                {
                    throw new UsageException(
                        $"--control {controlAt}: cannot listen there ({ex.Message}); is another proxy running? Give this one another " +
                        $"--control");
                }
                Console.Out.WriteLine(
                    $"proxy: listening on {options.BindAddress}; table at {control.LocalEndPoint} (orleans-config proxy --list " +
                    $"--control {control.LocalEndPoint})");
                return Task.CompletedTask;
            },
            longRunning: true);
        }
        finally
        {
            if (control is not null) await control.DisposeAsync();
        }
    }

    private static void Print(ListenerEvent change)
    {
        // Failures are logged (stderr) by the proxier itself.
        if (change.Kind != ListenerEventKind.Failed) Console.Out.WriteLine(change.ToString());
    }

    private static async Task<int> ListAsync(IPEndPoint at, bool json, CancellationToken cancellationToken)
    {
        ProxyState state;
        try
        {
            state = await ControlClient.ReadAsync(at, cancellationToken).WaitAsync(ListTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
        {
            Console.Error.WriteLine(
                $"error: no proxy answers at {at}: {ex.Message} (start one with 'orleans-config proxy', or give its --control)");
            return ExitCodes.Unreachable;
        }
        if (json) Console.Out.WriteLine(ProxyRender.Json(state));
        else if (state.Ports.Count == 0) Console.Error.WriteLine($"The proxy (pid {state.ProcessId}) has no service ports.");
        else Console.Out.Write(ProxyRender.Table(state));
        return ExitCodes.Ok;
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

    private static string[] Priorities(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

    private static void CheckPriority(OptionResult result)
    {
        foreach (var source in Priorities(result.GetValueOrDefault<string[]>()))
        {
            if (SourceName.Check(source) is { } error) result.AddError($"--priority: {error}");
        }
    }

    private static Option<int> Count(string name, string description, int defaultValue) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "N",
        Validators =
            { r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"{name}: must be at least 1, got {r.GetValueOrDefault<int>()}"); } },
    };

    private static Option<TimeSpan> Duration(string name, string description, TimeSpan defaultValue, TimeSpan max) => new(name)
    {
        Description = description,
        DefaultValueFactory = _ => defaultValue,
        HelpName = "HH:MM:SS",
        Validators =
        {
            r =>
            {
                var value = r.GetValueOrDefault<TimeSpan>();
                if (value <= TimeSpan.Zero || value > max)
                {
                    r.AddError($"{name}: must be more than 0{(max < TimeSpan.MaxValue ? $" and at most {max}" : "")}, got {value}");
                }
            },
        },
    };

    private static void Check(OptionResult result, string name, Func<string, string?> check)
    {
        if (result.GetValueOrDefault<string>() is { } value && check(value) is { } error) result.AddError($"{name}: {error}");
    }
}
