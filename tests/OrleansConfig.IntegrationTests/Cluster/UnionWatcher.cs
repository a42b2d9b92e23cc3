using System.Text.Json;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>The latest union one subscriber was told, restricted to the sources a test owns, as identity strings.</summary>
internal sealed class UnionWatcher(string name, Func<string, bool> ownSource)
{
    private string[] _last = [];

    public string Name { get; } = name;

    public string[] Last => Volatile.Read(ref _last);

    /// <summary>A ServiceConfig handler that records each union it is told.</summary>
    public Task OnUpdate(IReadOnlyList<Service> services)
    {
        Volatile.Write(ref _last,
            [.. services.Where(s => ownSource(s.Source())).Select(ChangePlan.Identity).Order(StringComparer.Ordinal)]);
        return Task.CompletedTask;
    }

    /// <summary>Reads a CLI <c>watch services -o json</c> line by line into <see cref="Last"/>, until the process ends.</summary>
    public async Task FollowAsync(ChildProcess watch, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await watch.ReadLineUntilAsync(line =>
                {
                    if (line.StartsWith('{')) Volatile.Write(ref _last, Parse(line));
                    return false;
                }, TimeSpan.FromMinutes(10));
            }
            catch (TimeoutException)
            {
                return; // the process ended (its output closed) or the test is over
            }
        }
    }

    private string[] Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        List<string> items = [];
        foreach (var item in document.RootElement.GetProperty("items").EnumerateArray())
        {
            var metadata = item.GetProperty("metadata");
            var source =
                metadata.TryGetProperty("annotations", out var a) && a.TryGetProperty(ConfigItemExtensions.SourceAnnotation, out var s)
                ? s.GetString() ?? "" : "";
            if (!ownSource(source)) continue;
            var ns = metadata.TryGetProperty("namespace", out var n) ? n.GetString() : "default";
            var port = item.GetProperty("spec").GetProperty("ports")[0].GetProperty("port").GetInt32();
            items.Add($"{ns}/{metadata.GetProperty("name").GetString()}@{source}:{port}");
        }
        return [.. items.Order(StringComparer.Ordinal)];
    }
}
