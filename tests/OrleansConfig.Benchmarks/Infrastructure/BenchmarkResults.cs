using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansConfig.Benchmarks.Infrastructure;

/// <summary>The figures of one run: printed as a table and written as JSON under <c>"results"</c>.</summary>
internal sealed class BenchmarkResults
{
    private readonly List<(string Key, double Value, string Unit, string? Target, string Note)> _rows = [];

    public void Add(string key, double value, string unit, string? target = null, string note = "")
    {
        _rows.Add((key, Math.Round(value, 3), unit, target, note));
        Console.WriteLine($"  {key} = {value.ToString("0.###", CultureInfo.InvariantCulture)} {unit} {note}");
    }

    public void Print(TextWriter writer)
    {
        writer.WriteLine();
        writer.WriteLine($"{"key",-28} {"value",12} {"unit",-10} {"target",-10} note");
        writer.WriteLine(new string('-', 90));
        foreach (var (key, value, unit, target, note) in _rows)
        {
            writer.WriteLine($"{key,-28} {value.ToString("0.###", CultureInfo.InvariantCulture),12} {unit,-10} {target ?? "",-10} {note}");
        }
    }

    public void Write(string path, BenchmarkOptions options)
    {
        var results = new JsonObject();
        var details = new JsonObject();
        foreach (var (key, value, unit, target, note) in _rows)
        {
            results[key] = value;
            details[key] = new JsonObject { ["unit"] = unit, ["target"] = target, ["note"] = note };
        }
        var document = new JsonObject
        {
            ["machine"] = new JsonObject
            {
                ["processors"] = Environment.ProcessorCount,
                ["os"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
                ["runtime"] = System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            },
            ["quick"] = options.Quick,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("O"),
            ["results"] = results,
            ["details"] = details,
        };
        File.WriteAllText(path, document.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
