using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Streams;
using OrleansConfig.Diagnostics;
using OrleansConfig.Hosting;
using OrleansConfig.State;
using OrleansConfig.Validation;

namespace OrleansConfig;

/// <summary>
/// Keeps the union of all sources, stamps each change with the next version and publishes it. A new
/// activation takes a fresh epoch and rebuilds the union from the sources it has registered.
/// </summary>
[CollectionAgeLimit(AlwaysActive = true)] // a reactivation means a new epoch and a resync for every subscriber
[AggregatorDirectory]
internal sealed partial class AggregatorGrain(
    [PersistentState("aggregator", OrleansConfigSilo.StorageName)] IPersistentState<AggregatorGrainState> registry,
    IOptions<UpdateLimits> limits,
    IOptions<SnapshotOptions> snapshotOptions,
    TimeProvider time,
    OrleansConfigMetrics metrics,
    ILogger<AggregatorGrain> logger) : Grain, IAggregatorGrain
{
    private const int RebuildAttempts = 5;

    private readonly ChangeArchive _archive = new();
    private readonly SnapshotPager _pager = new(snapshotOptions.Value);
    private UnionState _union = null!;
    private IAsyncStream<UnionDelta> _stream = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _union = new UnionState(Guid.NewGuid());
        _stream = this.GetStreamProvider(UnionStream.ProviderName).GetStream<UnionDelta>(UnionStream.Id);
        var started = time.GetTimestamp();
        var pending = registry.State.Sources.Select(SourceSnapshot).ToList();
        var firstAnswer = TimeSpan.Zero;
        // Each answer is loaded as it arrives: the union's tables for one source are built while others still load.
        await foreach (var answered in Task.WhenEach(pending))
        {
            if (firstAnswer == TimeSpan.Zero) firstAnswer = time.GetElapsedTime(started);
            _union.Load(await answered);
        }
        LogRebuilt(_union.Version.Epoch, pending.Count, _union.ServiceCount, _union.EndpointsCount,
            (long)firstAnswer.TotalMilliseconds, (long)time.GetElapsedTime(started).TotalMilliseconds);
        metrics.Union(_union.Version, _union.ServiceCount, _union.EndpointsCount);
    }

    /// <summary>
    /// A source that loads a large journal as it activates may answer after the call's timeout (measured: ten sources of
    /// 20,000 items each, activated at once after a restart). Asking it again is cheap once it is active; failing the
    /// activation instead made the next one ask every source again, and each answer arrived too late in turn.
    /// </summary>
    private async Task<SourceSnapshot> SourceSnapshot(string source)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await GrainFactory.GetSource(source).GetSnapshot();
            }
            catch (TimeoutException ex) when (attempt < RebuildAttempts)
            {
                LogRebuildSlow(ex, source, attempt);
            }
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // Null when activation failed before the union was built.
        if (_union is { } union) metrics.UnionGone(union.Version.Epoch);
        return Task.CompletedTask;
    }

    public async Task Apply(SourceDelta delta)
    {
        // Checked whole before anything changes: a source grain's bug is refused here, not spread to every subscriber.
        var errors = DeltaValidator.Validate(delta, limits.Value, delta is null ? null : _union.HeldBefore(delta));
        if (errors.Count > 0)
        {
            LogDeltaRefused(ErrorText.Quote(delta?.Source), errors.Count, errors[0].ToString());
            throw DeltaValidator.Refused(delta, errors);
        }
        await Register(delta!.Source);
        switch (_union.Apply(delta, out var published))
        {
            case DeltaOutcome.Applied when published is not null:
                await Publish(published);
                break;
            case DeltaOutcome.Gap:
                await Resync(delta.Source);
                break;
        }
    }

    public async Task CatchUp(string source, Guid incarnation, long sequence)
    {
        CheckName(source);
        if (_union.Has(source, incarnation, sequence)) return;
        await Register(source);
        await Resync(source);
    }

    public async Task SetDropped(string source, bool dropped)
    {
        CheckName(source);
        if (_union.SetDropped(source, dropped, time.GetUtcNow()) is { } published) await Publish(published);
    }

    public Task<UnionSnapshot> GetSnapshot() => Task.FromResult(_union.ToSnapshot());

    public Task<UnionSnapshotPage> GetSnapshotPage(ConfigKinds kinds, string? continueToken, int limit) =>
        Task.FromResult(_pager.Page(kinds, continueToken, limit, _union.Version, _union.ToSnapshot, time.GetUtcNow()));

    public Task<UnionVersion> GetVersion() => Task.FromResult(_union.Version);

    public Task<SourceDelta?> GetChange(UnionVersion version, ConfigKinds kinds) =>
        Task.FromResult(version.Epoch == _union.Version.Epoch ? _archive.Get(version.Version, kinds) : null);

    public async Task<bool> RemoveSource(string source)
    {
        CheckName(source);
        if (!registry.State.Sources.Contains(source)) return false;
        // Storage first: a rebuild after a crash part-way must not bring the source back.
        await GrainFactory.GetSource(source).Clear();
        if (_union.Remove(source, time.GetUtcNow()) is { } published) await Publish(published);
        registry.State.Sources.Remove(source);
        await registry.WriteStateAsync();
        LogRemoved(source);
        return true;
    }

    public Task<IReadOnlyList<string>> GetSources() => Task.FromResult<IReadOnlyList<string>>([.. registry.State.Sources]);

    /// <summary>A source name the grains could never have been given is refused, not looked up.</summary>
    private static void CheckName(string source)
    {
        if (SourceName.Check(source) is { } error) throw new ArgumentException($"source: {error}");
    }

    private async Task Register(string source)
    {
        if (!registry.State.Sources.Add(source)) return;
        // Stored before the union shows the source, so a rebuild after a crash knows to ask it.
        await registry.WriteStateAsync();
    }

    private async Task Resync(string source)
    {
        var snapshot = await GrainFactory.GetSource(source).GetSnapshot();
        LogResync(source, _union.SequenceOf(source), snapshot.Sequence);
        if (_union.Replace(snapshot, time.GetUtcNow()) is { } published) await Publish(published);
        if (_union.FollowDropped(snapshot, time.GetUtcNow()) is { } toggled) await Publish(toggled);
    }

    private async Task Publish(UnionDelta delta)
    {
        // Views of old versions go once idle, also when nobody asks for another page.
        _pager.Expire(time.GetUtcNow());
        LogChanged(delta.Version.Version, delta.Change.Source, _union.ServiceCount, _union.EndpointsCount);
        metrics.Published(delta, _union.ServiceCount, _union.EndpointsCount);
        try
        {
            await _stream.OnNextAsync(_archive.ForStream(delta));
        }
        catch (Exception ex)
        {
            // Subscribers notice the missing version (next delta or version probe) and take a snapshot.
            LogPublishFailed(ex, delta.Version.Version);
        }
    }

    [LoggerMessage(1001, LogLevel.Information, "Union version {Version} (from {Source}): {Services} services, {Endpoints} endpoints")]
    private partial void LogChanged(long version, string source, int services, int endpoints);

    [LoggerMessage(1002, LogLevel.Information,
        "Union rebuilt under epoch {Epoch} from {Sources} source(s): {Services} services, {Endpoints} endpoints; " +
        "first source answered after {FirstMs} ms, all loaded after {TotalMs} ms")]
    private partial void LogRebuilt(Guid epoch, int sources, int services, int endpoints, long firstMs, long totalMs);

    [LoggerMessage(1003, LogLevel.Information, "Source {Source} was taken out of the union")]
    private partial void LogRemoved(string source);

    [LoggerMessage(1004, LogLevel.Warning, "Union refused a change from source {Source} with {Count} error(s), first: {First}")]
    private partial void LogDeltaRefused(string source, int count, string first);

    [LoggerMessage(1005, LogLevel.Warning, "Union resyncing source {Source} from sequence {Have} to {Snapshot}")]
    private partial void LogResync(string source, long have, long snapshot);

    [LoggerMessage(1006, LogLevel.Warning, "Union version {Version} could not be published; subscribers will resync")]
    private partial void LogPublishFailed(Exception ex, long version);

    [LoggerMessage(1007, LogLevel.Warning, "Union rebuild: source {Source} did not answer in time (attempt {Attempt}); asking again")]
    private partial void LogRebuildSlow(Exception ex, string source, int attempt);
}

/// <summary>The registry of sources the union is built from; the items themselves stay with the sources.</summary>
[GenerateSerializer, Alias("OrleansConfig.AggregatorGrainState")]
internal sealed class AggregatorGrainState
{
    [Id(0)] public SortedSet<string> Sources { get; set; } = new(StringComparer.Ordinal);
}
