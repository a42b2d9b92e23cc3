namespace OrleansConfig.Sources.File;

/// <summary>The items of several files put together, each <c>namespace/name</c> owned by the first file that brings it.</summary>
internal sealed class FileMerge
{
    private readonly Dictionary<ObjectKey, string> _serviceOwners = [];
    private readonly Dictionary<ObjectKey, string> _endpointsOwners = [];
    private readonly Dictionary<ObjectKey, string> _sliceOwners = [];

    public List<Service> Services { get; } = [];

    public List<Endpoints> Endpoints { get; } = [];

    public List<EndpointSlice> EndpointSlices { get; } = [];

    public List<string> Errors { get; } = [];

    public int Count => Services.Count + Endpoints.Count + EndpointSlices.Count;

    /// <summary>Takes all of <paramref name="content"/> if none of it is owned by another file; else reports each clash
    /// and takes nothing.</summary>
    public bool TryTakeWhole(string file, FileContent content)
    {
        var clashes = Clashes(file, content.Services, _serviceOwners, "service")
            .Concat(Clashes(file, content.Endpoints, _endpointsOwners, "endpoints"))
            .Concat(Clashes(file, content.EndpointSlices, _sliceOwners, "endpointslice"))
            .ToList();
        if (clashes.Count > 0)
        {
            Errors.AddRange(clashes);
            return false;
        }
        Take(file, content);
        return true;
    }

    /// <summary>Takes what of <paramref name="content"/> no other file owns, reporting each item it leaves out.</summary>
    public void Take(string file, FileContent content)
    {
        TakeItems(file, content.Services, _serviceOwners, Services, "service");
        TakeItems(file, content.Endpoints, _endpointsOwners, Endpoints, "endpoints");
        TakeItems(file, content.EndpointSlices, _sliceOwners, EndpointSlices, "endpointslice");
    }

    private void TakeItems<T>(string file, IReadOnlyList<T> items, Dictionary<ObjectKey, string> owners, List<T> into, string kind)
        where T : IConfigItem
    {
        foreach (var item in items)
        {
            if (owners.TryAdd(item.Key(), file)) into.Add(item);
            else Errors.Add(Clash(file, kind, item.Key(), owners[item.Key()]));
        }
    }

    private static IEnumerable<string> Clashes<T>(string file, IReadOnlyList<T> items, Dictionary<ObjectKey, string> owners, string kind)
        where T : IConfigItem =>
        items.Where(i => owners.ContainsKey(i.Key())).Select(i => Clash(file, kind, i.Key(), owners[i.Key()]));

    private static string Clash(string file, string kind, ObjectKey key, string owner) =>
        $"{file}: {kind} {key} is also defined in {owner}";
}
