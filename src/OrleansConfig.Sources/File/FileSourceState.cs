namespace OrleansConfig.Sources.File;

/// <summary>
/// Decides what the file source sends. Each file contributes what it holds now if that is good, else the
/// last good content it had (or nothing if it never had any); so a bad or half-written file never takes
/// items away. An item defined in two files stays with the file that already had it.
/// </summary>
internal sealed class FileSourceState
{
    private IReadOnlyDictionary<string, FileContent> _lastGood = new Dictionary<string, FileContent>(StringComparer.Ordinal);

    /// <summary>Each file's content as last sent and accepted.</summary>
    public IReadOnlyDictionary<string, FileContent> LastGood => _lastGood;

    /// <summary>Plans the update for the files present now (every file the source should serve, read just now).</summary>
    public FileSourcePlan Plan(IReadOnlyList<FileRead> files)
    {
        var merge = new FileMerge();
        var lastGood = new Dictionary<string, FileContent>(StringComparer.Ordinal);
        List<(string Name, FileContent Fresh, FileContent? Previous)> changed = [];
        var anyBad = false;
        List<string> warnings = [];

        // First what is already served (unchanged files, and bad files' last good content), then the changes.
        foreach (var file in files.OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            _lastGood.TryGetValue(file.Name, out var previous);
            var fresh = Usable(file, merge.Errors);
            if (fresh is not null) warnings.AddRange(file.Warnings.Select(w => $"{file.Name}: {w}"));
            if (fresh is null)
            {
                anyBad = true;
                if (previous is null) continue;
                merge.Take(file.Name, previous);
                lastGood[file.Name] = previous;
            }
            else if (previous is not null && fresh.SameAs(previous))
            {
                merge.Take(file.Name, fresh);
                lastGood[file.Name] = fresh;
            }
            else
            {
                changed.Add((file.Name, fresh, previous));
            }
        }
        foreach (var (name, fresh, previous) in changed)
        {
            if (merge.TryTakeWhole(name, fresh))
            {
                lastGood[name] = fresh;
                continue;
            }
            anyBad = true;
            if (previous is null) continue;
            merge.Take(name, previous);
            lastGood[name] = previous;
        }

        // Never replace the source's state with nothing because its files are bad.
        SourceUpdate? update = anyBad && merge.Count == 0
            ? null
            : new SourceUpdate
            {
                Services = new ServiceUpdate(Operation.Set, merge.Services),
                Endpoints = new EndpointsUpdate(Operation.Set, merge.Endpoints),
                EndpointSlices = new EndpointSliceUpdate(Operation.Set, merge.EndpointSlices),
                Synced = true,
            };
        return new FileSourcePlan(update, merge.Errors, lastGood) { Warnings = warnings };
    }

    /// <summary>Remembers the plan's contents as each file's last good, once its update was accepted.</summary>
    public void Commit(FileSourcePlan plan) => _lastGood = plan.LastGood;

    private static FileContent? Usable(FileRead file, List<string> errors)
    {
        if (file.Content is null)
        {
            errors.AddRange(file.Errors.Count == 0
                ? [$"{file.Name}: cannot be used"]
                : file.Errors.Select(e => $"{file.Name}: {e}"));
            return null;
        }
        var twice = Repeated(file.Content.Services, "service").Concat(Repeated(file.Content.Endpoints, "endpoints"))
            .Concat(Repeated(file.Content.EndpointSlices, "endpointslice")).ToList();
        if (twice.Count == 0) return file.Content;
        errors.AddRange(twice.Select(e => $"{file.Name}: {e}"));
        return null;
    }

    private static IEnumerable<string> Repeated<T>(IReadOnlyList<T> items, string kind) where T : IConfigItem =>
        items.GroupBy(i => i.Key()).Where(g => g.Count() > 1).Select(g => $"{kind} {g.Key} is defined more than once");
}
