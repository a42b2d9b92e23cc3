using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources;
using OrleansConfig.Sources.Api;
using OrleansConfig.Sources.Diagnostics;

namespace OrleansConfig;

/// <summary>
/// Publishes a Kubernetes API server's Services and Endpoints (all namespaces, or each of
/// <see cref="ApiSourceOptions.Namespaces"/> on its own) to the SourceGrain named <see cref="ApiSourceOptions.Name"/>,
/// as the original SourceAPI did: list both kinds and Set them (the source
/// is then synced), then watch each kind from its list's resourceVersion: ADDED and MODIFIED become Adds,
/// DELETED Removes, and a BOOKMARK moves the version on. A 410 lists that kind again; a watch the server
/// ends is resumed from the last version; failures back off and keep the state. Every update carries its
/// resourceVersion as its revision, so several silos may each run the source. Endpoints are read from
/// <c>discovery.k8s.io/v1</c> EndpointSlices (merged per Service; a change sends only its Service's Endpoints) unless
/// <see cref="ApiSourceOptions.EndpointsFrom"/> is <c>Endpoints</c>.
/// </summary>
public sealed partial class ApiConfigSource : BackgroundService
{
    // Events that arrived together go to the grain as one change; this bounds one change's size.
    private const int MaxBatch = 1000;

    // The server ends a watch after its timeoutSeconds; one still open this much later is taken as lost.
    private static readonly TimeSpan MaxWatchGrace = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    // One kind each across all namespaces, or one in each of Sources:Api:Namespaces.
    private readonly ApiKind<Service>[] _services;
    private readonly ApiKind<Endpoints>[] _endpoints;
    private readonly ApiKind<EndpointSlice>[] _slices;
    private readonly Backoff _startBackoff;
    private readonly TimeSpan _watchLimit;
    private readonly string _server;
    private readonly SourceMetrics _metrics;
    private readonly SourceGrainWriter _writer;

    // What failed since it last worked ("list", or a kind's name): its next success is a reconnect.
    private readonly ConcurrentDictionary<string, bool> _failed = new(StringComparer.Ordinal);

    /// <summary>
    /// A source reading <paramref name="services"/> and <paramref name="endpoints"/> (or <paramref name="slices"/>, as
    /// <see cref="ApiSourceOptions.EndpointsFrom"/> says; without it, <paramref name="endpoints"/> when it is one) and
    /// writing to the source grain named in <paramref name="options"/>.
    /// </summary>
    public ApiConfigSource(
        IGrainFactory grains,
        IServicesWatcher services,
        IEndpointsWatcher endpoints,
        IOptions<ApiSourceOptions> options,
        TimeProvider time,
        ILogger<ApiConfigSource> logger,
        IMeterFactory? meterFactory = null,
        IEndpointSlicesWatcher? slices = null)
        : this(() => grains.GetSource(options.Value.Name), services, endpoints, options.Value, time, logger, meterFactory, slices)
    {
    }

    internal ApiConfigSource(
        Func<ISourceGrain> grain,
        IServicesWatcher services,
        IEndpointsWatcher endpoints,
        ApiSourceOptions options,
        TimeProvider time,
        ILogger logger,
        IMeterFactory? meterFactory = null,
        IEndpointSlicesWatcher? slices = null)
    {
        _time = time;
        _logger = logger;
        Name = options.Name;
        _server = options.Server ?? options.KubeconfigPath ?? "the in-cluster API server";
        (_services, _endpoints, _slices) = ApiKinds.All(services, endpoints, slices ?? endpoints as IEndpointSlicesWatcher, options);
        _startBackoff = Backoff.Jittered(options.RetryInitialDelay, options.RetryMaxDelay);
        _watchLimit = options.WatchTimeout + (options.WatchTimeout < MaxWatchGrace ? options.WatchTimeout : MaxWatchGrace);
        _metrics = SourceMetrics.Create(meterFactory, "api", Name);
        _writer = new SourceGrainWriter(grain, "api", Name, _metrics, logger);
    }

    /// <summary>The source's name (its SourceGrain's key).</summary>
    public string Name { get; }

    /// <summary>The resourceVersion the source's Services are at ("" before the first list).</summary>
    internal string ServicesResourceVersion => string.Join(",", _services.Select(k => k.Sync.ResourceVersion));

    internal string EndpointsResourceVersion =>
        string.Join(",", _endpoints.Select(k => k.Sync.ResourceVersion).Concat(_slices.Select(k => k.Sync.ResourceVersion)));

    /// <summary>How many objects are currently skipped as bad.</summary>
    internal int BadObjects =>
        _services.Sum(k => k.Filter.BadCount) + _endpoints.Sum(k => k.Filter.BadCount) + _slices.Sum(k => k.Filter.BadCount);

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        _writer.Dispose();
    }

    /// <summary>Lists both kinds, Sets them, then watches from the listed version, listing again on expiry, on a lost watch and every resync period.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LogStarting(Name, _slices.Length > 0 ? "endpointslices" : "endpoints", _server);
        // Stopped with the adapter, however it ends.
        using var alive = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = _writer.RunHeartbeatAsync(_time, alive.Token);
        try
        {
            await ListBothAsync(stoppingToken);
            await Task.WhenAll(
            [
                .. _services.Select(kind => FollowAsync(kind, stoppingToken)),
                .. _endpoints.Select(kind => FollowAsync(kind, stoppingToken)),
                .. _slices.Select(kind => FollowAsync(kind, stoppingToken)),
            ]);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever was in flight was cut off.
        }
        finally
        {
            await alive.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>Lists both kinds and Sets them in one update that marks the source synced; retries until it lands.</summary>
    private async Task ListBothAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                var services = await ListAllAsync(_services, cancellationToken);
                var endpoints = await ListAllAsync(_endpoints, cancellationToken);
                var slices = await ListAllAsync(_slices, cancellationToken);
                // Every namespace's objects in one Set per kind (unversioned when there are several lists).
                var merged = _slices.Select(kind => kind.Merge!.All()).ToList();
                await _writer.ApplyAsync(new SourceUpdate
                {
                    Services = SetOf(_services, services).Services,
                    Endpoints = _slices.Length == 0
                        ? SetOf(_endpoints, endpoints).Endpoints
                        : new EndpointsUpdate(Operation.Set, [.. merged.SelectMany(m => m)])
                        {
                            Revision = _slices.Length == 1 ? _slices[0].RevisionOf(slices[0].ResourceVersion) : 0,
                        },
                    Synced = true,
                }, cancellationToken);
                for (var i = 0; i < _slices.Length; i++) _slices[i].Merge!.SentAll(merged[i]);
                for (var i = 0; i < _services.Length; i++) Listed(_services[i], services[i]);
                for (var i = 0; i < _endpoints.Length; i++) Listed(_endpoints[i], endpoints[i]);
                for (var i = 0; i < _slices.Length; i++) Listed(_slices[i], slices[i]);
                Worked("list");
                _startBackoff.Reset();
                await ClearErrorAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // No watch starts before both lists are in.
                Failed("list", "list");
                var delay = _startBackoff.Next();
                var reason = ApiErrors.Describe(ex);
                LogListFailed(ex, Name, reason, delay.TotalMilliseconds);
                await _writer.ReportErrorAsync($"api: list failed: {reason}", cancellationToken);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }

    /// <summary>One kind's loop: list when needed, watch, and recover from whatever ends the watch.</summary>
    private async Task FollowAsync<T>(ApiKind<T> kind, CancellationToken cancellationToken) where T : class, IConfigItem
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                if (kind.Sync.NeedsList)
                {
                    var listing = await ListAsync(kind, cancellationToken);
                    foreach (var update in listing.Updates) await _writer.ApplyAsync(update, cancellationToken);
                    Listed(kind, listing);
                    await ClearErrorAsync(cancellationToken);
                }
                delay = await WatchAsync(kind, cancellationToken);
                Worked(kind.Name);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                var error = ApiErrors.Classify(ex);
                var reason = ApiErrors.Describe(ex);
                delay = kind.Sync.Failed(error);
                if (error == ApiErrorKind.Gone)
                {
                    _metrics.Error("expired");
                    LogExpired(Name, kind.Name, kind.Sync.ResourceVersion, reason);
                }
                else if (error == ApiErrorKind.Disconnected)
                {
                    // Routine (a proxy or the server let the connection go): only reported if watching again fails too.
                    Failed(kind.Name, "disconnected");
                    LogWatchBroke(Name, kind.Name, reason, kind.Sync.ResourceVersion, delay.TotalMilliseconds);
                }
                else
                {
                    Failed(kind.Name, "connection");
                    LogFailed(ex, Name, kind.Name, reason,
                        kind.Sync.NeedsList ? "listing again" : $"watching again from {kind.Sync.ResourceVersion}",
                        delay.TotalMilliseconds);
                    await _writer.ReportErrorAsync($"api: {kind.Name}: {reason}", cancellationToken);
                }
            }
            if (delay > TimeSpan.Zero) await Task.Delay(delay, _time, cancellationToken);
        }
    }

    /// <summary>Reads one kind's list and makes its Set; the caller applies it.</summary>
    private async Task<ApiListing<T>> ListAsync<T>(ApiKind<T> kind, CancellationToken cancellationToken) where T : class, IConfigItem
    {
        var list = await kind.List(cancellationToken);
        List<ApiBadObject> bad = [];
        var items = kind.Filter.FromList(list.Items, bad);
        NoteBad(bad);
        var revision = kind.RevisionOf(list.ResourceVersion);
        if (kind.Merge is { } merge)
        {
            // Sent as the Services' Endpoints that changed since the last list or event.
            merge.Relist(items);
            return new ApiListing<T>(items, list.ResourceVersion, list.Items.Count, merge.TakeUpdates(revision));
        }
        if (kind.Known is not { } known)
        {
            return new ApiListing<T>(items, list.ResourceVersion, list.Items.Count,
                [kind.Update(Operation.Set, items, revision) with { Synced = true }]);
        }
        // One namespace of several: a Set would replace the others' items too.
        var listed = items.Select(item => item.Key()).ToHashSet();
        List<SourceUpdate> updates = [];
        var gone = known.Where(key => !listed.Contains(key)).Select(kind.Named).ToList();
        if (gone.Count > 0) updates.Add(kind.Update(Operation.Remove, gone, revision));
        if (items.Count > 0) updates.Add(kind.Update(Operation.Add, items, revision));
        return new ApiListing<T>(items, list.ResourceVersion, list.Items.Count, updates);
    }

    /// <summary>Lists each of a kind's namespaces (or all namespaces at once); applying is the caller's.</summary>
    private async Task<ApiListing<T>[]> ListAllAsync<T>(ApiKind<T>[] kinds, CancellationToken cancellationToken) where T : class, IConfigItem
    {
        var listings = new ApiListing<T>[kinds.Length];
        for (var i = 0; i < kinds.Length; i++) listings[i] = await ListAsync(kinds[i], cancellationToken);
        return listings;
    }

    /// <summary>One Set of every namespace's listed objects of a kind, at the list's revision when there is one list.</summary>
    private static SourceUpdate SetOf<T>(ApiKind<T>[] kinds, ApiListing<T>[] listings) where T : class, IConfigItem =>
        kinds[0].Update(
            Operation.Set,
            [.. listings.SelectMany(listing => listing.Items)],
            kinds.Length == 1 ? kinds[0].RevisionOf(listings[0].ResourceVersion) : 0);

    private void Listed<T>(ApiKind<T> kind, ApiListing<T> listing) where T : class, IConfigItem
    {
        kind.Merge?.Sent();
        if (kind.Known is { } known)
        {
            known.Clear();
            known.UnionWith(listing.Items.Select(item => item.Key()));
        }
        kind.Sync.Listed(listing.ResourceVersion, _time.GetUtcNow());
        _metrics.Listed(kind.Resource);
        Worked(kind.Name);
        LogListed(Name, kind.Name, listing.ResourceVersion, listing.Count);
    }

    /// <summary>
    /// Follows one watch until the server ends it, a resync is due, or it has run its time (then returns how
    /// long to wait before watching again), or until it fails (throws).
    /// </summary>
    private async Task<TimeSpan> WatchAsync<T>(ApiKind<T> kind, CancellationToken cancellationToken) where T : class, IConfigItem
    {
        var limit = kind.Sync.ResyncDue - _time.GetUtcNow();
        if (limit > _watchLimit) limit = _watchLimit;
        if (limit <= TimeSpan.Zero)
        {
            kind.Sync.ResyncNow();
            return TimeSpan.Zero;
        }
        using var timer = new CancellationTokenSource(limit, _time);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        var from = kind.Sync.ResourceVersion;
        _metrics.Watching(kind.Resource);
        LogWatching(Name, kind.Name, from);
        var received = 0;
        var events = kind.Watch(from, bounded.Token).GetAsyncEnumerator(bounded.Token);
        // Each ValueTask in `next` is consumed once: awaited, or read through Result once IsCompleted (CA2012 cannot tell).
#pragma warning disable CA2012
        var next = events.MoveNextAsync();
        var pending = true;
        try
        {
            pending = false;
            var more = await next;
            var batch = new ApiEventBatch<T>(kind);
            while (more)
            {
                batch.Add(events.Current);
                received++;
                next = events.MoveNextAsync();
                pending = true;
                if (next.IsCompleted && batch.Count < MaxBatch)
                {
                    pending = false;
                    more = next.Result;
                    continue;
                }
                // Nothing more has arrived yet: apply what has, while the watch reads on.
                await ApplyEventsAsync(kind, batch, cancellationToken);
                batch = new ApiEventBatch<T>(kind);
                pending = false;
                more = await next;
            }
            if (batch.Count > 0) await ApplyEventsAsync(kind, batch, cancellationToken);
        }
        catch (Exception) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Whatever the watch threw as it was cut off, it was cut off: the version still holds.
            if (kind.Sync.ResyncIsDue(_time.GetUtcNow()))
            {
                kind.Sync.ResyncNow();
                LogResync(Name, kind.Name);
            }
            return TimeSpan.Zero;
        }
        finally
        {
            if (pending)
            {
                // Applying failed while the watch was reading: end the read before letting the watch go.
                await bounded.CancelAsync();
                try
                {
                    await next;
                }
                catch (Exception)
                {
                    // The watch is being abandoned; its own end is irrelevant.
                }
            }
            await events.DisposeAsync();
        }
#pragma warning restore CA2012
        LogWatchEnded(Name, kind.Name, received, kind.Sync.ResourceVersion);
        return received == 0 ? kind.Sync.EndedEmpty() : TimeSpan.Zero;
    }

    private async Task ApplyEventsAsync<T>(ApiKind<T> kind, ApiEventBatch<T> batch, CancellationToken cancellationToken)
        where T : class, IConfigItem
    {
        NoteBad(batch.NewlyBad);
        foreach (var update in batch.ToUpdates()) await _writer.ApplyAsync(update, cancellationToken);
        kind.Merge?.Sent();
        kind.Sync.Advanced(batch.ResourceVersion);
        _metrics.Received(batch.Count, batch.Bookmarks, kind.Resource);
        Worked(kind.Name);
        await ClearErrorAsync(cancellationToken);
    }

    private void NoteBad(List<ApiBadObject> bad)
    {
        if (bad.Count == 0) return;
        _metrics.Error("bad_value", bad.Count);
        foreach (var item in bad) LogBadObject(Name, item.Kind, item.Key.ToString(), item.Reason);
    }

    private void Failed(string what, string reason)
    {
        _metrics.Error(reason);
        _failed[what] = true;
    }

    /// <summary>A list or watch went through: if it had failed before, that is a reconnect.</summary>
    private void Worked(string what)
    {
        if (_failed.TryRemove(what, out _)) _metrics.Reconnected();
    }

    /// <summary>Clears a reported error once neither kind is failing.</summary>
    private async Task ClearErrorAsync(CancellationToken cancellationToken)
    {
        if (_services.Any(k => k.Sync.Failing || k.Sync.NeedsList) || _endpoints.Any(k => k.Sync.Failing || k.Sync.NeedsList) ||
            _slices.Any(k => k.Sync.Failing || k.Sync.NeedsList))
        {
            return;
        }
        if (await _writer.RecoveredAsync(cancellationToken))
        {
            LogRecovered(Name, ServicesResourceVersion, EndpointsResourceVersion);
        }
    }

    [LoggerMessage(2301, LogLevel.Information, "api source {Source}: listing and watching services and {Endpoints} at {Server}")]
    private partial void LogStarting(string source, string endpoints, string server);

    [LoggerMessage(2302, LogLevel.Information, "api source {Source}: listed {Count} {Kind} at resourceVersion {ResourceVersion}")]
    private partial void LogListed(string source, string kind, string resourceVersion, int count);

    [LoggerMessage(2303, LogLevel.Debug, "api source {Source}: watching {Kind} from resourceVersion {ResourceVersion}")]
    private partial void LogWatching(string source, string kind, string resourceVersion);

    [LoggerMessage(2304, LogLevel.Debug,
        "api source {Source}: the {Kind} watch ended after {Events} event(s) at resourceVersion {ResourceVersion}; watching again")]
    private partial void LogWatchEnded(string source, string kind, int events, string resourceVersion);

    [LoggerMessage(2305, LogLevel.Information, "api source {Source}: {Kind} resync due; listing again")]
    private partial void LogResync(string source, string kind);

    [LoggerMessage(2306, LogLevel.Information,
        "api source {Source}: {Kind} resourceVersion {ResourceVersion} is too old ({Reason}); listing again")]
    private partial void LogExpired(string source, string kind, string resourceVersion, string reason);

    [LoggerMessage(2307, LogLevel.Warning, "api source {Source}: list failed: {Reason}; keeping the state, retrying in {DelayMs:0} ms")]
    private partial void LogListFailed(Exception ex, string source, string reason, double delayMs);

    [LoggerMessage(2308, LogLevel.Warning, "api source {Source}: {Kind}: {Reason}; keeping the state, {Next} in {DelayMs:0} ms")]
    private partial void LogFailed(Exception ex, string source, string kind, string reason, string next, double delayMs);

    [LoggerMessage(2309, LogLevel.Information,
        "api source {Source}: the {Kind} connection broke ({Reason}); trying again in {DelayMs:0} ms, at resourceVersion " +
        "{ResourceVersion}")]
    private partial void LogWatchBroke(string source, string kind, string reason, string resourceVersion, double delayMs);

    [LoggerMessage(2310, LogLevel.Information,
        "api source {Source}: recovered (services at {ServicesVersion}, endpoints at {EndpointsVersion})")]
    private partial void LogRecovered(string source, string servicesVersion, string endpointsVersion);

    [LoggerMessage(2311, LogLevel.Warning, "api source {Source}: skipped {Kind} {Key}: {Reason}")]
    private partial void LogBadObject(string source, string kind, string key, string reason);
}
