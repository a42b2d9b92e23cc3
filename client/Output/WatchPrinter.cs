namespace OrleansConfig.Cli.Output;

/// <summary>Prints each union state <c>watch</c> is told: a table (redrawn on a terminal) or one JSON List per line.</summary>
internal sealed class WatchPrinter<T>(bool json, string kind, Func<IReadOnlyList<T>, string> table, Func<IReadOnlyList<T>, string> toJson)
    where T : IConfigItem
{
    private readonly bool _terminal = !Console.IsOutputRedirected;

    public Task Print(IReadOnlyList<T> items, UnionVersion version)
    {
        var sorted = Render.Sorted(items);
        var stdout = Console.Out;
        if (json)
        {
            stdout.WriteLine(toJson(sorted));
        }
        else
        {
            if (_terminal) stdout.Write("\u001b[H\u001b[2J");
            else stdout.WriteLine($"--- {DateTimeOffset.Now:HH:mm:ss} union version {version} ---");
            stdout.Write(sorted.Count == 0 ? $"No {kind}.\n" : table(sorted));
            if (_terminal) stdout.WriteLine($"\n{sorted.Count} {kind} at union version {version}; Ctrl+C to stop");
        }
        stdout.Flush();
        return Task.CompletedTask;
    }
}
