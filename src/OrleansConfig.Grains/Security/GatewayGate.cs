using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Reflection;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Orleans.Serialization;

namespace OrleansConfig.Security;

/// <summary>
/// Admits outside clients at the gateway. It reads the id a client announces in Orleans' connection preamble (and
/// hands the bytes on untouched), refuses an id that poses as the silo's own hosted client, and with mutual TLS binds
/// the id to the identity of the client's certificate, so that grains anywhere can tell who is calling.
/// </summary>
internal sealed partial class GatewayGate(
    ClientIdentities identities, Serializer serializer, IOptions<AccessOptions> options, IOptions<ClusterOptions> cluster,
        ILogger<GatewayGate> logger)
{
    private const int MaxPreambleLength = 1024;
    private static readonly TimeSpan PreambleTimeout = TimeSpan.FromSeconds(10);

    // Orleans keeps the preamble type internal; its serializer is public and reads it like any other value.
    private static readonly Type PreambleType =
        typeof(IClusterClient).Assembly.GetType("Orleans.Runtime.Messaging.ConnectionPreamble", throwOnError: true)!;
    private static readonly PropertyInfo NodeIdentity = PreambleType.GetProperty("NodeIdentity")!;
    private static readonly PropertyInfo PreambleClusterId = PreambleType.GetProperty("ClusterId")!;
    private static readonly PropertyInfo ProtocolVersion = PreambleType.GetProperty("NetworkProtocolVersion")!;
    private static readonly MethodInfo SerializeToArray = typeof(Serializer).GetMethods()
        .Single(m => m.Name == nameof(Serializer.SerializeToArray) && m.IsGenericMethodDefinition && m.GetParameters().Length == 1)
        .MakeGenericMethod(PreambleType);
    private static readonly TimeSpan MismatchLinger = TimeSpan.FromSeconds(10);
    private static readonly MethodInfo Deserialize = typeof(Serializer).GetMethods()
        .Single(m =>
            m.Name == nameof(Serializer.Deserialize) && m.IsGenericMethodDefinition && m.GetParameters() is [{ ParameterType: var p }]
            && p == typeof(ReadOnlySequence<byte>))
        .MakeGenericMethod(PreambleType);

    /// <summary>With mutual TLS a client must present a certificate, and is known by its common name.</summary>
    private bool RequireIdentity => options.Value.RequireIdentity;

    public async Task OnConnection(ConnectionContext connection, ConnectionDelegate next)
    {
        byte[] preamble;
        GrainId announced;
        object parsed;
        try
        {
            (preamble, parsed) = await ReadPreamble(connection.Transport.Input);
            announced = (GrainId)NodeIdentity.GetValue(parsed)!;
        }
        catch (Exception ex) when (
            ex is InvalidDataException or OperationCanceledException or IOException or ConnectionResetException
                or ConnectionAbortedException)
        {
            LogRefused(connection.RemoteEndPoint?.ToString(), "no valid connection preamble", ex.Message);
            connection.Abort(new ConnectionAbortedException("no valid connection preamble"));
            return;
        }

        // Orleans itself refuses a preamble that is not a client's; only our refusals are needed here.
        var isClient = announced.IsClient();
        if (isClient && PreambleClusterId.GetValue(parsed) is string theirs && theirs != cluster.Value.ClusterId)
        {
            await AnswerOtherCluster(connection, parsed, theirs);
            return;
        }
        if (isClient && IsHostedClient(announced))
        {
            LogRefused(connection.RemoteEndPoint?.ToString(), $"it announced the id {announced}",
                "only a silo's own hosted client has such an id");
            connection.Abort(new ConnectionAbortedException("client id reserved for silos"));
            return;
        }

        string? identity = null;
        if (RequireIdentity && isClient)
        {
            var certificate = connection.Features.Get<ITlsConnectionFeature>()?.RemoteCertificate;
            identity = certificate is null ? null : ClusterCertificates.IdentityOf(certificate);
            if (string.IsNullOrEmpty(identity) || !await identities.Bind(announced, identity))
            {
                LogRefused(connection.RemoteEndPoint?.ToString(), $"it announced the id {announced}",
                    identity is null ? "no certificate name" : $"the id is bound to another identity than {identity}");
                connection.Abort(new ConnectionAbortedException("client identity refused"));
                return;
            }
        }

        var input = new ReplayingPipeReader(preamble, connection.Transport.Input);
        connection.Transport = new DuplexPipe(input, connection.Transport.Output);
        try
        {
            await next(connection);
        }
        finally
        {
            if (identity is not null) identities.Release(announced);
        }
    }

    internal static bool IsHostedClient(GrainId client) => client.Key.AsSpan().StartsWith("hosted-"u8);

    /// <summary>
    /// Answers a client of another cluster with this cluster's id and waits for it to hang up. Orleans' gateway answers
    /// too, but closes at once, and the client, its answer lost, retries forever without saying why; this way the
    /// client learns both ids (and OrleansConfig's client stops at once, naming them).
    /// </summary>
    private async Task AnswerOtherCluster(ConnectionContext connection, object theirs, string theirClusterId)
    {
        LogOtherCluster(connection.RemoteEndPoint?.ToString(), theirClusterId, cluster.Value.ClusterId);
        var answer = Activator.CreateInstance(PreambleType)!;
        PreambleClusterId.SetValue(answer, cluster.Value.ClusterId);
        ProtocolVersion.SetValue(answer, ProtocolVersion.GetValue(theirs));
        NodeIdentity.SetValue(answer, NodeIdentity.GetValue(theirs));
        var payload = (byte[])SerializeToArray.Invoke(serializer, [answer])!;
        var frame = new byte[4 + payload.Length];
        BinaryPrimitives.WriteInt32LittleEndian(frame, payload.Length);
        payload.CopyTo(frame, 4);
        using var linger = new CancellationTokenSource(MismatchLinger);
        try
        {
            await connection.Transport.Output.WriteAsync(frame, linger.Token);
            while (true)
            {
                var read = await connection.Transport.Input.ReadAsync(linger.Token);
                connection.Transport.Input.AdvanceTo(read.Buffer.End);
                if (read.IsCompleted || read.IsCanceled) break;
            }
        }
        catch (Exception ex) when (
            ex is OperationCanceledException or IOException or ConnectionResetException or ConnectionAbortedException)
        {
            // The client hung up, or did not within the linger: either way this connection is done.
        }
        connection.Abort(new ConnectionAbortedException($"client of cluster \"{theirClusterId}\""));
    }

    /// <summary>Reads exactly the preamble frame (a little-endian length, then the serialized preamble) off the connection.</summary>
    private async Task<(byte[] Frame, object Preamble)> ReadPreamble(PipeReader input)
    {
        using var timeout = new CancellationTokenSource(PreambleTimeout);
        var prefix = new byte[4];
        while (true)
        {
            var result = await input.ReadAsync(timeout.Token);
            var buffer = result.Buffer;
            if (buffer.Length >= 4)
            {
                buffer.Slice(0, 4).CopyTo(prefix);
                var length = BinaryPrimitives.ReadInt32LittleEndian(prefix);
                if (length is <= 0 or > MaxPreambleLength) throw new InvalidDataException($"preamble length {length}");
                if (buffer.Length >= 4 + length)
                {
                    var frame = buffer.Slice(0, 4 + length);
                    var bytes = frame.ToArray();
                    input.AdvanceTo(frame.End);
                    var preamble = Deserialize.Invoke(serializer, [new ReadOnlySequence<byte>(bytes, 4, length)])
                        ?? throw new InvalidDataException("empty preamble");
                    return (bytes, preamble);
                }
            }
            if (result.IsCompleted || result.IsCanceled) throw new InvalidDataException("the connection ended before its preamble");
            input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    [LoggerMessage(1401, LogLevel.Warning, "Gateway refused a client at {Remote} of cluster \"{Theirs}\": this is cluster \"{Ours}\"")]
    private partial void LogOtherCluster(string? remote, string theirs, string ours);

    [LoggerMessage(1402, LogLevel.Warning, "Gateway refused a connection from {Remote}: {What}; {Why}")]
    private partial void LogRefused(string? remote, string what, string why);

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;
        public PipeWriter Output { get; } = output;
    }
}

/// <summary>Puts the gate on every gateway connection, after TLS (post-configured, so after any <c>UseTls</c>).</summary>
internal sealed class GatewayGateSetup(GatewayGate gate) : IPostConfigureOptions<SiloConnectionOptions>
{
    public void PostConfigure(string? name, SiloConnectionOptions options) =>
        options.ConfigureGatewayInboundConnection(connection => connection.Use(next => context => gate.OnConnection(context, next)));
}
