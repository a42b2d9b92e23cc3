using System.Reflection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OrleansConfig.Security;

/// <summary>
/// Decides what an outside client may call on OrleansConfig's grains. A client reaches only the public doors
/// (<see cref="Doors"/>); everything else exists for the silo's own use (grain to grain, the sources it runs) and is
/// refused. With mutual TLS, writes and source removal are also checked against <see cref="WritePolicy"/>.
/// </summary>
internal sealed partial class AccessFilter(ClientIdentities identities, IOptions<AccessOptions> options,
    ILogger<AccessFilter> logger) : IIncomingGrainCallFilter
{
    private static readonly Assembly Ours = typeof(AccessFilter).Assembly;

    private static readonly Dictionary<MethodInfo, Door> Doors = new()
    {
        [Method<ISourceGrain>(nameof(ISourceGrain.Apply))] = Door.Write,
        // Harmless: it only says the source is alive, and with identities only a writer of that source may say so.
        [Method<ISourceGrain>(nameof(ISourceGrain.Heartbeat))] = Door.Write,
        [Method<ISourceGrain>(nameof(ISourceGrain.GetSnapshot))] = Door.Read,
        [Method<ISourceGrain>(nameof(ISourceGrain.GetStatus))] = Door.Read,
        [Method<IAggregatorGrain>(nameof(IAggregatorGrain.GetSnapshot))] = Door.Read,
        [Method<IAggregatorGrain>(nameof(IAggregatorGrain.GetSnapshotPage))] = Door.Read,
        [Method<IAggregatorGrain>(nameof(IAggregatorGrain.GetVersion))] = Door.Read,
        [Method<IAggregatorGrain>(nameof(IAggregatorGrain.GetChange))] = Door.Read,
        [Method<IAggregatorGrain>(nameof(IAggregatorGrain.GetSources))] = Door.Read,
        [Method<IAggregatorGrain>(nameof(IAggregatorGrain.RemoveSource))] = Door.RemoveSource,
        // A subscriber reporting on itself writes no configuration; its entry is keyed by its own client id.
        [Method<ISubscriberRegistryGrain>(nameof(ISubscriberRegistryGrain.Report))] = Door.Self,
        [Method<ISubscriberRegistryGrain>(nameof(ISubscriberRegistryGrain.ReportMany))] = Door.Self,
        [Method<ISubscriberRegistryGrain>(nameof(ISubscriberRegistryGrain.Remove))] = Door.Self,
        [Method<ISubscriberRegistryGrain>(nameof(ISubscriberRegistryGrain.List))] = Door.Read,
    };

    private readonly WritePolicy _policy = new(options.Value.Authorization);
    private readonly bool _identities = options.Value.RequireIdentity;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.SourceId is not { } caller || !IsOutsideClient(caller))
        {
            await context.Invoke();
            return;
        }
        var target = context.TargetContext.GrainInstance;
        if (target is IManagementGrain)
        {
            // Orleans' management grain can deactivate every grain, the union's too: with identities, admins only.
            if (_identities && await identities.Resolve(caller) is var who && (who is null || !_policy.IsAdmin(who)))
            {
                throw Refuse(caller, $"forbidden: {who ?? $"client {caller}"} may not use {context.InterfaceName} (only an admin may)");
            }
            await context.Invoke();
            return;
        }
        if (target?.GetType().Assembly != Ours)
        {
            await context.Invoke();
            return;
        }

        if (!Doors.TryGetValue(context.InterfaceMethod, out var door))
        {
            throw Refuse(caller, $"forbidden: {context.InterfaceName}.{context.MethodName} is for the silo's own use, not for clients");
        }
        if (_identities && door is Door.Write or Door.RemoveSource)
        {
            var identity = await identities.Resolve(caller);
            var source = context.TargetId.Key.ToString();
            var refusal = identity is null
                ? $"forbidden: client {caller} is not known to any gateway"
                : door == Door.Write
                    ? _policy.CheckWrite(identity, source, context.Request.GetArgumentCount() > 0 && context.Request.GetArgument(0) is SourceUpdate { Force: true })
                    : _policy.CheckRemove(identity, context.Request.GetArgument(0) as string ?? "");
            if (refusal is not null) throw Refuse(caller, refusal);
        }
        await context.Invoke();
    }

    /// <summary>A client outside the silo: not a grain, not a system target, not the silo's own hosted client.</summary>
    internal static bool IsOutsideClient(GrainId caller) => caller.IsClient() && !GatewayGate.IsHostedClient(caller);

    private ForbiddenException Refuse(GrainId caller, string message)
    {
        LogRefused(caller, message);
        return new ForbiddenException(message);
    }

    private static MethodInfo Method<T>(string name) => typeof(T).GetMethod(name) ?? throw new MissingMethodException(typeof(T).Name, name);

    private enum Door { Read, Self, Write, RemoveSource }

    [LoggerMessage(1201, LogLevel.Warning, "Refused a call from {Caller}: {Reason}")]
    private partial void LogRefused(GrainId caller, string reason);
}

/// <summary>How the silo admits callers: whether clients are known by certificate, and who may write what.</summary>
internal sealed class AccessOptions
{
    public bool RequireIdentity { get; set; }

    public AuthorizationOptions Authorization { get; set; } = new();
}
