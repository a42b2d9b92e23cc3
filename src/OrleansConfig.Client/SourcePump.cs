using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client;

/// <summary>
/// The reader behind one <c>Channel(source)</c>: sends each update, in order, to that source's grain. A refusal is
/// logged with its field errors and the next update follows; a failure to reach the cluster is retried with capped
/// backoff, so nothing written is lost or reordered.
/// </summary>
internal sealed partial class SourcePump<TUpdate> where TUpdate : class
{
    private readonly IConfigBackend _backend;
    private readonly Func<TUpdate, SourceUpdate> _toSourceUpdate;
    private readonly ConfigClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<TUpdate> _channel = Channel.CreateUnbounded<TUpdate>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _abort = new();
    private Task _pump = Task.CompletedTask;
    private long _sent;

    public SourcePump(
        string source,
        IConfigBackend backend,
        Func<TUpdate, SourceUpdate> toSourceUpdate,
        ConfigClientOptions options,
        TimeProvider time,
        ILogger<SourcePump<TUpdate>> logger)
    {
        Source = source;
        _backend = backend;
        _toSourceUpdate = toSourceUpdate;
        _options = options;
        _time = time;
        _logger = logger;
    }

    public string Source { get; }

    public ChannelWriter<TUpdate> Writer => _channel.Writer;

    /// <summary>Updates the source grain has answered (accepted or refused).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    public void Start()
    {
        var cancellationToken = _abort.Token;
        _pump = Task.Run(() => RunAsync(cancellationToken), CancellationToken.None);
    }

    /// <summary>Stops taking writes, sends what was already written until <paramref name="deadline"/>, then abandons the rest.</summary>
    public async Task StopAsync(TimeSpan deadline)
    {
        _channel.Writer.TryComplete();
        try
        {
            await _pump.WaitAsync(deadline, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await _abort.CancelAsync().ConfigureAwait(false);
            await _pump.ConfigureAwait(false);
            var abandoned = 0;
            while (_channel.Reader.TryRead(out _)) abandoned++;
            LogAbandoned(_logger, Source, abandoned, deadline);
        }
        _abort.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            // TryPeek before TryRead: an update leaves the channel only once the grain has answered it.
            while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_channel.Reader.TryPeek(out var update))
                {
                    await SendAsync(update, cancellationToken).ConfigureAwait(false);
                    _channel.Reader.TryRead(out _);
                    Interlocked.Increment(ref _sent);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(TUpdate update, CancellationToken cancellationToken)
    {
        var sourceUpdate = _toSourceUpdate(update);
        var delay = Backoff.First(_options.ApplyRetryDelay, _options.MaxRetryDelay);
        for (var attempt = 1; ; attempt++)
        {
            ApplyResult result;
            try
            {
                result = await _backend.ApplyAsync(Source, sourceUpdate, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Any exception is treated as not delivered: a refusal comes back as a result, never as an exception.
                LogApplyFailed(_logger, exception, Source, attempt, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = Backoff.Next(delay, _options.MaxRetryDelay);
                continue;
            }

            if (!result.Accepted) LogRejected(_logger, Source, result.Errors.Count, string.Join("; ", result.Errors));
            return;
        }
    }

    [LoggerMessage(301, LogLevel.Warning, "Source {Source} refused an update ({Count} errors): {Errors}")]
    private static partial void LogRejected(ILogger logger, string source, int count, string errors);

    [LoggerMessage(302, LogLevel.Warning, "Sending an update to source {Source} failed (attempt {Attempt}); retrying in {RetryIn}")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string source, int attempt, TimeSpan retryIn);

    [LoggerMessage(303, LogLevel.Warning, "Source {Source}: {Count} updates were not sent within {Deadline} of disposal and were abandoned")]
    private static partial void LogAbandoned(ILogger logger, string source, int count, TimeSpan deadline);
}
