namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>Command line: <c>[--quick] [--out results.json] [--only name,name] [--poll-ms N] [--tls]</c>.</summary>
internal sealed class BenchmarkOptions
{
    public bool Quick { get; private init; }

    public string? Out { get; private init; }

    public IReadOnlySet<string>? Only { get; private init; }

    /// <summary>The union stream's poll interval in the silos (the default unless given).</summary>
    public TimeSpan? PollInterval { get; private init; }

    /// <summary>Mutual TLS between the in-process silos and for their clients, with authorization on, to measure what it costs.</summary>
    public bool Tls { get; private init; }

    /// <summary>True when the run includes <paramref name="scenario"/>: named, or a <c>scale-*</c> one under <c>--only scale</c>.</summary>
    public bool Includes(string scenario) =>
        Only is null || Only.Contains(scenario) || (scenario.StartsWith("scale-", StringComparison.Ordinal) && Only.Contains("scale"));

    /// <summary>The full size, or the quick one.</summary>
    public int Size(int full, int quick) => Quick ? quick : full;

    public static BenchmarkOptions Parse(string[] args)
    {
        bool quick = false;
        string? output = null;
        HashSet<string>? only = null;
        TimeSpan? poll = null;
        var tls = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--tls": tls = true; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--poll-ms" when i + 1 < args.Length: poll =
                    TimeSpan.FromMilliseconds(double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--only" when i + 1 < args.Length: only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                default: throw new ArgumentException(
                    $"unknown argument \"{args[i]}\"; usage: [--quick] [--out FILE] [--only scenario,scenario] [--poll-ms N] [--tls]");
            }
        }
        return new BenchmarkOptions { Quick = quick, Out = output, Only = only, PollInterval = poll, Tls = tls };
    }
}
