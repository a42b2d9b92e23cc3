using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OrleansConfig.Sources.Diagnostics;

namespace OrleansConfig.Sources.File;

/// <summary>
/// Publishes a file or directory of manifests as one source: on start and after every change (watched,
/// debounced, and rescanned periodically since watchers miss events) it sends one <c>Set</c> of both kinds.
/// What to send is decided by <see cref="FileSourceState"/>; this class only reads, watches and talks to the grain.
/// </summary>
internal sealed partial class FileConfigSource(
    IGrainFactory grains,
    IOptions<FileSourceOptions> options,
    ILogger<FileConfigSource> logger,
    IMeterFactory? meterFactory = null,
    ManifestLimits? manifestLimits = null) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(10);

    private readonly FileSourceOptions _options = options.Value;
    private readonly FileSourceState _state = new();
    private readonly SourceMetrics _metrics = SourceMetrics.Create(meterFactory, "file", options.Value.Name);
    private string? _loggedErrors;
    private string? _loggedWarnings;
    private string? _fileErrors;
    private bool _unreachable;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var files = new ManifestFiles(_options.Path!, manifestLimits, _options.FieldValidation);
        var signal = new FileChangeSignal(_options.Debounce);
        using var watcher = Watch(files, signal);
        LogStarted(_options.Name, files.FullPath);

        var retry = FirstRetry;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var sent = await SyncAsync(files, stoppingToken);
                var wait = sent ? _options.RescanPeriod : retry;
                retry = sent ? FirstRetry : TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, LastRetry.Ticks));
                await signal.WaitAsync(wait, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Reads the files and sends what they say. False when the cluster could not be reached (retry soon).</summary>
    private async Task<bool> SyncAsync(ManifestFiles files, CancellationToken cancellationToken)
    {
        FileSourcePlan plan;
        try
        {
            plan = _state.Plan(await files.ReadAllAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            plan = new FileSourcePlan(null, [$"{_options.Path}: {ex.Message}"], _state.LastGood);
        }

        var source = grains.GetSource(_options.Name);
        var error = plan.ErrorSummary();
        // Counted when the files' problem changes, not on every rescan that still finds it.
        if (error is not null && error != _fileErrors) _metrics.Error("bad_file");
        _fileErrors = error;
        try
        {
            if (plan.Update is { } update)
            {
                var result = await source.Apply(update);
                if (result.Accepted)
                {
                    _state.Commit(plan);
                    if (result.Changed)
                    {
                        LogSent(_options.Name, update.Services!.Services.Count, update.Endpoints!.Endpoints.Count, result.Sequence);
                    }
                }
                else
                {
                    _metrics.Error("rejected");
                    var rejected = string.Join("; ", result.Errors.Take(5));
                    error = error is null ? $"update rejected: {rejected}" : $"{error}; update rejected: {rejected}";
                }
            }
            LogErrorsIfNew(error);
            LogWarningsIfNew(plan.WarningSummary());
            // Sent every time (the grain stores it only when it differs), so a grain that lost its state gets it back.
            await source.ReportError(error);
            await source.ReportWarning(plan.WarningSummary());
            if (_unreachable)
            {
                _unreachable = false;
                _metrics.Reconnected();
            }
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogErrorsIfNew(error);
            LogUnreachable(ex, _options.Name);
            // Counted once per outage; the retries in between are the same problem.
            if (!_unreachable) _metrics.Error("unreachable");
            _unreachable = true;
            return false;
        }
    }

    private void LogErrorsIfNew(string? error)
    {
        if (error == _loggedErrors) return;
        _loggedErrors = error;
        if (error is null) LogRecovered(_options.Name);
        else LogBadFiles(_options.Name, error);
    }

    private void LogWarningsIfNew(string? warnings)
    {
        if (warnings == _loggedWarnings) return;
        _loggedWarnings = warnings;
        if (warnings is not null) LogWarnings(_options.Name, warnings);
    }

    private FileSystemWatcher? Watch(ManifestFiles files, FileChangeSignal signal)
    {
        try
        {
            var watcher = files.IsDirectory
                ? new FileSystemWatcher(files.FullPath)
                : new FileSystemWatcher(Path.GetDirectoryName(files.FullPath)!, Path.GetFileName(files.FullPath));
            watcher.NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime;
            watcher.IncludeSubdirectories = false;
            FileSystemEventHandler changed = (_, e) =>
            {
                if (!files.IsDirectory || ManifestFiles.IsManifestName(e.Name ?? "")) signal.Notify();
            };
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (_, _) => signal.Notify();
            watcher.Error += (_, e) =>
            {
                LogWatcherError(e.GetException(), _options.Name);
                signal.Notify();
            };
            watcher.EnableRaisingEvents = true;
            return watcher;
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Without notifications the periodic rescan still picks up every change, only later.
            LogWatcherError(ex, _options.Name);
            return null;
        }
    }

    [LoggerMessage(2101, LogLevel.Information, "File source {Source} watching {Path}")]
    private partial void LogStarted(string source, string path);

    [LoggerMessage(2102, LogLevel.Information,
        "File source {Source} sent {Services} services, {Endpoints} endpoints (sequence {Sequence})")]
    private partial void LogSent(string source, int services, int endpoints, long sequence);

    [LoggerMessage(2103, LogLevel.Warning, "File source {Source} keeps its last good content: {Errors}")]
    private partial void LogBadFiles(string source, string errors);

    [LoggerMessage(2104, LogLevel.Warning, "File source {Source} serves its files with warnings: {Warnings}")]
    private partial void LogWarnings(string source, string warnings);

    [LoggerMessage(2105, LogLevel.Information, "File source {Source}: all files are good again")]
    private partial void LogRecovered(string source);

    [LoggerMessage(2106, LogLevel.Warning, "File source {Source} cannot reach its grain; retrying")]
    private partial void LogUnreachable(Exception ex, string source);

    [LoggerMessage(2107, LogLevel.Warning, "File source {Source}: watching for changes failed; relying on the periodic rescan")]
    private partial void LogWatcherError(Exception? ex, string source);
}
