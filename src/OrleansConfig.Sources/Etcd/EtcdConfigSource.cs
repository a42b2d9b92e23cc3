using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources;
using OrleansConfig.Sources.Diagnostics;
using OrleansConfig.Sources.Etcd;

namespace OrleansConfig;

/// <summary>
/// Publishes the Services and Endpoints kept in etcd to the SourceGrain named <see cref="EtcdSourceOptions.Name"/>:
/// one consistent list and Set, then one watch of the prefix, relisting when the watch's revision is
/// compacted and every <see cref="EtcdSourceOptions.ResyncPeriod"/>. Every update carries its etcd revision,
/// so several silos may each run it without a stale watcher undoing a newer change.
/// </summary>
public sealed partial class EtcdConfigSource : BackgroundService
{
    // Task.WaitAsync takes at most ~49 days; a longer resync period is waited for in steps.
    private static readonly TimeSpan MaxWait = TimeSpan.FromHours(1);

    private readonly IEtcdStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EtcdKeyLayout _layout;
    private readonly EtcdUpdateBuilder _builder;
    private readonly EtcdSyncState _sync;
    private readonly SourceMetrics _metrics;
    private readonly SourceGrainWriter _writer;
    private bool _failedSinceWatch;

    /// <summary>A source reading the etcd prefix named in <paramref name="options"/> and writing to its source grain.</summary>
    public EtcdConfigSource(
        IGrainFactory grains,
        IOptions<EtcdSourceOptions> options,
        TimeProvider time,
        ILogger<EtcdConfigSource> logger,
        IMeterFactory? meterFactory = null,
        ManifestLimits? manifestLimits = null)
        : this(() =>
            grains.GetSource(options.Value.Name), EtcdClientStore.Create(options.Value), options.Value, time, logger, meterFactory,
            manifestLimits)
    {
    }

    internal EtcdConfigSource(
        Func<ISourceGrain> grain,
        IEtcdStore store,
        EtcdSourceOptions options,
        TimeProvider time,
        ILogger logger,
        IMeterFactory? meterFactory = null,
        ManifestLimits? manifestLimits = null)
    {
        _store = store;
        _time = time;
        _logger = logger;
        Name = options.Name;
        _layout = new EtcdKeyLayout(options.Prefix);
        _builder = new EtcdUpdateBuilder(_layout, manifestLimits, options.FieldValidation);
        _sync = new EtcdSyncState(options.ResyncPeriod, Backoff.Jittered(options.RetryInitialDelay, options.RetryMaxDelay));
        _metrics = SourceMetrics.Create(meterFactory, "etcd", Name);
        _writer = new SourceGrainWriter(grain, "etcd", Name, _metrics, logger);
    }

    /// <summary>The source's name (its SourceGrain's key).</summary>
    public string Name { get; }

    /// <summary>How many keys currently hold a value the source skipped.</summary>
    internal int BadKeys => _builder.BadKeys;

    /// <inheritdoc/>
    public override void Dispose()
    {
        base.Dispose();
        _store.Dispose();
        _writer.Dispose();
    }

    /// <summary>Lists the prefix, Sets it, then watches from the listed revision, listing again after a compaction and every resync period.</summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        LogStarting(Name, _layout.Root);
        // Stopped with the adapter, however it ends.
        using var alive = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = _writer.RunHeartbeatAsync(_time, alive.Token);
        try
        {
            await FollowAsync(stoppingToken);
        }
        finally
        {
            await alive.CancelAsync();
            await heartbeat;
        }
    }

    /// <summary>Lists and watches, and recovers from failures, until stopped.</summary>
    private async Task FollowAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_sync.NeedsList) await ListAsync(stoppingToken);
                await WatchAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _metrics.Error("connection");
                _failedSinceWatch = true;
                var delay = _sync.Failed();
                var reason = ex is EtcdStoreException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
                LogFailed(ex, Name, reason, _sync.Revision, delay.TotalMilliseconds);
                await _writer.ReportErrorAsync($"etcd: {reason}", stoppingToken);
                try
                {
                    await Task.Delay(delay, _time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Reads every kind at one revision and Sets them (each, even when empty), marking the source synced.</summary>
    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var services = await _store.GetRangeAsync(_layout.ServicesPrefix, 0, cancellationToken);
        var endpoints = await _store.GetRangeAsync(_layout.EndpointsPrefix, services.Revision, cancellationToken);
        var slices = await _store.GetRangeAsync(_layout.EndpointSlicesPrefix, services.Revision, cancellationToken);
        var listing = _builder.FromList(services, endpoints, slices);
        NoteBad(listing.BadValues);
        await _writer.ApplyAsync(listing.Update, cancellationToken);
        await ReportWarningsAsync(cancellationToken);
        _sync.Listed(listing.Revision, _time.GetUtcNow());
        _metrics.Listed();
        _metrics.AppliedUpTo(_sync.Revision);
        LogListed(Name, listing.Revision, services.Items.Count, endpoints.Items.Count);
        await ClearErrorAsync(cancellationToken);
    }

    /// <summary>Follows one watch until it fails (throws) or its revision is compacted (returns to relist).</summary>
    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var responses = _store.WatchAsync(_layout.WatchPrefix, _sync.WatchFrom, watching.Token).GetAsyncEnumerator(watching.Token);
        var next = responses.MoveNextAsync().AsTask();
        try
        {
            while (true)
            {
                var untilResync = _sync.ResyncDue - _time.GetUtcNow();
                if (untilResync <= TimeSpan.Zero)
                {
                    // Resync while the watch stays open: the list's Set covers the events up to its revision.
                    await ListAsync(cancellationToken);
                    continue;
                }
                try
                {
                    await next.WaitAsync(Min(untilResync, MaxWait), _time, cancellationToken);
                }
                catch (TimeoutException)
                {
                    continue;
                }

                if (!next.Result) throw new EtcdStoreException("watch ended");
                var response = responses.Current;
                switch (_sync.Decide(response))
                {
                    case WatchStep.Relist:
                        _metrics.Compacted();
                        LogCompacted(Name, _sync.WatchFrom, response.CompactRevision);
                        return;
                    case WatchStep.Fail:
                        throw new EtcdStoreException($"watch canceled: {response.CancelReason}");
                    case WatchStep.Established:
                        _metrics.Watching();
                        if (_failedSinceWatch)
                        {
                            _failedSinceWatch = false;
                            _metrics.Reconnected();
                        }
                        LogWatching(Name, _sync.WatchFrom);
                        await ClearErrorAsync(cancellationToken);
                        break;
                    case WatchStep.Apply:
                        await ApplyEventsAsync(response.Events, cancellationToken);
                        break;
                }
                next = responses.MoveNextAsync().AsTask();
            }
        }
        finally
        {
            await watching.CancelAsync();
            try
            {
                await next;
            }
            catch (Exception)
            {
                // The watch is being abandoned; its own failure was handled or is irrelevant.
            }
            await responses.DisposeAsync();
        }
    }

    private async Task ApplyEventsAsync(IReadOnlyList<EtcdEvent> events, CancellationToken cancellationToken)
    {
        var batch = _builder.FromEvents(events, after: _sync.Revision);
        NoteBad(batch.BadValues);
        foreach (var revision in batch.Revisions)
        {
            foreach (var update in revision.Updates) await _writer.ApplyAsync(update, cancellationToken);
            _sync.Applied(revision.Revision);
            _metrics.AppliedUpTo(_sync.Revision);
        }
        await ReportWarningsAsync(cancellationToken);
    }

    /// <summary>Logs values newly taken with warnings, and shows the keys' warnings on the grain when they changed.</summary>
    private async Task ReportWarningsAsync(CancellationToken cancellationToken)
    {
        foreach (var (key, warning) in _builder.NewWarnings) LogWarnedValue(Name, key, warning);
        _builder.NewWarnings.Clear();
        if (!_builder.WarningsChanged) return;
        if (await _writer.ReportWarningAsync(_builder.WarningSummary(), cancellationToken)) _builder.WarningsChanged = false;
    }

    private void NoteBad(IReadOnlyList<EtcdBadValue> bad)
    {
        if (bad.Count == 0) return;
        _metrics.Error("bad_value", bad.Count);
        foreach (var value in bad) LogBadValue(Name, value.Key, value.ModRevision, value.Reason);
    }

    private async Task ClearErrorAsync(CancellationToken cancellationToken)
    {
        if (await _writer.RecoveredAsync(cancellationToken)) LogRecovered(Name, _sync.Revision);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(2201, LogLevel.Information, "etcd source {Source}: watching {Prefix}")]
    private partial void LogStarting(string source, string prefix);

    [LoggerMessage(2202, LogLevel.Information,
        "etcd source {Source}: listed at revision {Revision}: {Services} service key(s), {Endpoints} endpoints key(s)")]
    private partial void LogListed(string source, long revision, int services, int endpoints);

    [LoggerMessage(2203, LogLevel.Debug, "etcd source {Source}: watching from revision {Revision}")]
    private partial void LogWatching(string source, long revision);

    [LoggerMessage(2204, LogLevel.Information,
        "etcd source {Source}: revision {Revision} is compacted (compact revision {CompactRevision}); listing again")]
    private partial void LogCompacted(string source, long revision, long compactRevision);

    [LoggerMessage(2205, LogLevel.Warning,
        "etcd source {Source}: {Reason}; keeping the state of revision {Revision}, retrying in {DelayMs:0} ms")]
    private partial void LogFailed(Exception ex, string source, string reason, long revision, double delayMs);

    [LoggerMessage(2206, LogLevel.Information, "etcd source {Source}: recovered at revision {Revision}")]
    private partial void LogRecovered(string source, long revision);

    [LoggerMessage(2207, LogLevel.Warning, "etcd source {Source}: took {Key} with warnings: {Warnings}")]
    private partial void LogWarnedValue(string source, string key, string warnings);

    [LoggerMessage(2208, LogLevel.Warning, "etcd source {Source}: skipped {Key} (revision {Revision}): {Reason}")]
    private partial void LogBadValue(string source, string key, long revision, string reason);
}
