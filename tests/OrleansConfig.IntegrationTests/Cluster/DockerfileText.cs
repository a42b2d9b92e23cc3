namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>A Dockerfile as its stages and their instructions (continuation lines joined, comments dropped).</summary>
internal sealed class DockerfileText
{
    private DockerfileText(IReadOnlyList<Stage> stages) => Stages = stages;

    public IReadOnlyList<Stage> Stages { get; }

    public Stage Final => Stages[^1];

    public static DockerfileText Load(string path)
    {
        List<Stage> stages = [];
        var pending = "";
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#'))) continue;
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var instruction = (pending + line).Trim();
            pending = "";
            var space = instruction.IndexOf(' ');
            var keyword = (space < 0 ? instruction : instruction[..space]).ToUpperInvariant();
            var arguments = space < 0 ? "" : instruction[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                var alias = words.Length >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                stages.Add(new Stage(words[0], alias, []));
            }
            else if (stages.Count == 0)
            {
                throw new InvalidOperationException($"{path}: {keyword} before the first FROM");
            }
            else
            {
                stages[^1].Instructions.Add((keyword, arguments));
            }
        }
        return new DockerfileText(stages);
    }

    internal sealed record Stage(string Image, string? Alias, List<(string Keyword, string Arguments)> Instructions)
    {
        public IEnumerable<string> All(string keyword) => Instructions.Where(i => i.Keyword == keyword).Select(i => i.Arguments);

        /// <summary>The variables the stage's ENV instructions set (<c>ENV A=1 B=2</c> form).</summary>
        public IReadOnlyDictionary<string, string> Env =>
            All("ENV").SelectMany(a => a.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
    }
}
