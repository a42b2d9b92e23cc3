namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>Command line: <c>[--quick] [--out results.json] [--only name,name]</c>.</summary>
internal sealed class BenchmarkOptions
{
    public bool Quick { get; private init; }

    public string? Out { get; private init; }

    public IReadOnlySet<string>? Only { get; private init; }

    public bool Includes(string scenario) => Only is null || Only.Contains(scenario);

    /// <summary>The full size, or the quick one.</summary>
    public int Size(int full, int quick) => Quick ? quick : full;

    public static BenchmarkOptions Parse(string[] args)
    {
        bool quick = false;
        string? output = null;
        HashSet<string>? only = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick": quick = true; break;
                case "--out" when i + 1 < args.Length: output = args[++i]; break;
                case "--only" when i + 1 < args.Length: only = [.. args[++i].Split(',', StringSplitOptions.RemoveEmptyEntries)]; break;
                default: throw new ArgumentException($"unknown argument \"{args[i]}\"; usage: [--quick] [--out FILE] [--only scenario,scenario]");
            }
        }
        return new BenchmarkOptions { Quick = quick, Out = output, Only = only };
    }
}
