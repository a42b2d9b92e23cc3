using Orleans.Storage;

namespace OrleansConfig.Tests.Persistence;

/// <summary>An ETag-checking in-memory grain storage, counting writes, for journal tests.</summary>
internal sealed class DictionaryGrainStorage : IGrainStorage
{
    private readonly Dictionary<(string, GrainId), (object State, string ETag)> _records = [];
    private int _etag;

    public int Writes { get; private set; }

    public int Records => _records.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_records.TryGetValue((stateName, grainId), out var record))
        {
            grainState.State = (T)record.State;
            grainState.ETag = record.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var existing = _records.TryGetValue((stateName, grainId), out var record) ? record.ETag : null;
        if (existing != grainState.ETag) throw new InconsistentStateException($"etag mismatch for {grainId}", existing, grainState.ETag);
        var etag = (++_etag).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _records[(stateName, grainId)] = (grainState.State!, etag);
        grainState.ETag = etag;
        grainState.RecordExists = true;
        Writes++;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var existing = _records.TryGetValue((stateName, grainId), out var record) ? record.ETag : null;
        if (existing != grainState.ETag) throw new InconsistentStateException($"etag mismatch for {grainId}", existing, grainState.ETag);
        _records.Remove((stateName, grainId));
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }
}
