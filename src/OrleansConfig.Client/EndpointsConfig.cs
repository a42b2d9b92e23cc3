using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OrleansConfig.Client;
using OrleansConfig.Client.Reporting;

namespace OrleansConfig;

/// <summary>
/// The client side of the Endpoints union: per-source channels that feed source grains, and handlers that are told
/// the whole union (ordered by namespace, name, then source) whenever it changes.
/// </summary>
public sealed class EndpointsConfig : IAsyncDisposable
{
    private readonly ConfigClientCore<Endpoints, EndpointsUpdate> _core;

    /// <summary>Starts following the union at once; <see cref="WaitForSyncAsync"/> tells when the first snapshot is in.</summary>
    /// <param name="client">A started client, best built with <c>AddOrleansConfigClient()</c> so reconnects are noticed.</param>
    /// <param name="loggerFactory">Defaults to the client's own.</param>
    /// <param name="options">Handler pacing and resync settings; null takes the defaults.</param>
    public EndpointsConfig(IClusterClient client, ILoggerFactory? loggerFactory = null, ConfigClientOptions? options = null)
        : this(ConfigClientCore<Endpoints, EndpointsUpdate>.ForCluster(client, ConfigKind.Endpoints, options, loggerFactory))
    {
    }

    internal EndpointsConfig(IConfigBackend backend, ILoggerFactory? loggerFactory = null, ConfigClientOptions? options = null,
        TimeProvider? time = null, ISubscriberReportTarget? reports = null)
        : this(new ConfigClientCore<Endpoints, EndpointsUpdate>(backend, ConfigKind.Endpoints, options, loggerFactory, time, reports: reports))
    {
    }

    private EndpointsConfig(ConfigClientCore<Endpoints, EndpointsUpdate> core) => _core = core;

    /// <summary>
    /// The version of the union this config has told its handlers of (default until the first snapshot): once it shows a
    /// version, every handler has been given the changes up to it.
    /// </summary>
    public UnionVersion Version => _core.Version;

    /// <summary>Snapshots taken after the first one (gaps, epoch changes, reconnects, probes), since this config started.</summary>
    internal long ResyncCount => _core.ResyncCount;

    /// <summary>The writer for <paramref name="source"/>'s updates; the same source always gets the same writer.</summary>
    public ChannelWriter<EndpointsUpdate> Channel(string source) => _core.Channel(source);

    /// <summary>Registers a handler told the whole union on every change (and at once, if the union is already in).</summary>
    public void RegisterHandler(IEndpointsConfigHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _core.RegisterHandler(HandlerName.Of(handler), handler.OnUpdate);
    }

    /// <summary>Registers a delegate told the whole union on every change (and at once, if the union is already in).</summary>
    public void RegisterHandler(Func<IReadOnlyList<Endpoints>, Task> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        _core.RegisterHandler(HandlerName.Of(handler), handler);
    }

    /// <summary>
    /// Registers a handler told what changed: first the whole union as added (<see cref="ConfigChanges{T}.Initial"/>),
    /// then each item added, updated or removed since its last successful call, folded while it is busy.
    /// </summary>
    /// <returns>The handler's progress: <see cref="HandlerRegistration.HasSynced"/>, its applied version, its last error.</returns>
    public HandlerRegistration RegisterHandler(IEndpointsChangeHandler handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _core.RegisterChangeHandler(HandlerName.Of(handler), handler.OnChanges);
    }

    /// <summary>Every handler registered so far, of both kinds, in registration order.</summary>
    public IReadOnlyList<HandlerRegistration> Handlers => _core.Handlers;

    /// <summary>The current union by source, then by namespace/name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<ObjectKey, Endpoints>> Config() => _core.Config();

    /// <summary>Completes once the first union snapshot is in the view.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken = default) => _core.WaitForSyncAsync(cancellationToken);

    /// <summary>Sends what was already written (within <see cref="ConfigClientOptions.DisposeTimeout"/>), then
    /// unsubscribes and stops handlers.</summary>
    public ValueTask DisposeAsync() => _core.DisposeAsync();
}
