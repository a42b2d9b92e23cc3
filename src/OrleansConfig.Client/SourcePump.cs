using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Client;

/// <summary>
/// The reader behind one <c>Channel(source)</c>: sends the updates, in order, to that source's grain. Updates that
/// queue up while a call is in flight are folded into one update with the same effect (see <see cref="UpdateRun{T}"/>),
/// after each was validated on its own, so one bad write is refused alone and a busy channel costs one call per batch.
/// A refusal is logged with its field errors; a failure to reach the cluster is retried with capped backoff, so
/// nothing written is lost or reordered.
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
    private int _inFlight;

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
            var abandoned = Volatile.Read(ref _inFlight);
            while (_channel.Reader.TryRead(out _)) abandoned++;
            LogAbandoned(_logger, Source, abandoned, deadline);
        }
        _abort.Dispose();
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await _channel.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_channel.Reader.TryRead(out var first))
                {
                    var (update, originals) = Batch(_toSourceUpdate(first));
                    Volatile.Write(ref _inFlight, originals.Count);
                    if (update is not null && !await SendAsync(update, log: originals.Count == 1, cancellationToken).ConfigureAwait(false))
                    {
                        // Refused as a whole: send each write alone, so each is accepted or refused on its own.
                        foreach (var original in originals) await SendAsync(original, log: true, cancellationToken).ConfigureAwait(false);
                    }
                    Interlocked.Add(ref _sent, originals.Count);
                    Volatile.Write(ref _inFlight, 0);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private const int MaxFolded = 4_096;

    /// <summary>The first update folded with every waiting update that folds into it (null when none was valid), and
    /// the valid writes it holds.</summary>
    private (SourceUpdate? Update, List<SourceUpdate> Originals) Batch(SourceUpdate first)
    {
        List<SourceUpdate> originals = [];
        if (!IsValid(first)) return (null, originals);
        originals.Add(first);
        // A versioned update keeps its own revision, and one carrying both kinds stays whole: neither is folded.
        if (Revision(first) != 0 || (first.Services is null) == (first.Endpoints is null)) return (first, originals);
        var services = first.Services is { } s ? new UpdateRun<Service>(s.Op, s.Services) : null;
        var endpoints = first.Endpoints is { } e ? new UpdateRun<Endpoints>(e.Op, e.Endpoints) : null;
        while (originals.Count < MaxFolded && _channel.Reader.TryPeek(out var peeked))
        {
            var next = _toSourceUpdate(peeked);
            if (Revision(next) != 0) break;
            if (!IsValid(next))
            {
                _channel.Reader.TryRead(out _);
                continue;
            }
            var folded = (next.Services, next.Endpoints) switch
            {
                ({ } ns, null) when services is not null => services.TryFold(ns.Op, ns.Services),
                (null, { } ne) when endpoints is not null => endpoints.TryFold(ne.Op, ne.Endpoints),
                _ => false,
            };
            if (!folded) break;
            _channel.Reader.TryRead(out _);
            originals.Add(next);
        }
        if (originals.Count == 1) return (first, originals);
        return services is not null
            ? (new ServiceUpdate(services.Op, services.Items()), originals)
            : (new EndpointsUpdate(endpoints!.Op, endpoints.Items()), originals);
    }

    private bool IsValid(SourceUpdate update)
    {
        var errors = ConfigValidator.Validate(update);
        if (errors.Count == 0) return true;
        LogRejected(_logger, Source, errors.Count, string.Join("; ", errors));
        return false;
    }

    private static long Revision(SourceUpdate update) => update.Services?.Revision ?? update.Endpoints?.Revision ?? 0;

    /// <summary>Sends until the grain answers; true when it accepted.</summary>
    private async Task<bool> SendAsync(SourceUpdate sourceUpdate, bool log, CancellationToken cancellationToken)
    {
        var backoff = Backoff.Doubling(_options.ApplyRetryDelay, _options.MaxRetryDelay);
        var delay = backoff.Next();
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
                delay = backoff.Next();
                continue;
            }

            if (!result.Accepted && log) LogRejected(_logger, Source, result.Errors.Count, string.Join("; ", result.Errors));
            return result.Accepted;
        }
    }

    [LoggerMessage(301, LogLevel.Warning, "Source {Source} refused an update ({Count} errors): {Errors}")]
    private static partial void LogRejected(ILogger logger, string source, int count, string errors);

    [LoggerMessage(302, LogLevel.Warning, "Sending an update to source {Source} failed (attempt {Attempt}); retrying in {RetryIn}")]
    private static partial void LogApplyFailed(ILogger logger, Exception exception, string source, int attempt, TimeSpan retryIn);

    [LoggerMessage(303, LogLevel.Warning,
        "Source {Source}: {Count} updates were not sent within {Deadline} of disposal and were abandoned")]
    private static partial void LogAbandoned(ILogger logger, string source, int count, TimeSpan deadline);
}
