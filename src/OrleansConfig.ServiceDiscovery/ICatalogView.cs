using Microsoft.Extensions.Primitives;

namespace OrleansConfig.ServiceDiscovery;

/// <summary>What the endpoint providers read from the one shared catalog of a service provider.</summary>
internal interface ICatalogView
{
    /// <summary>Waits for the catalog's first sync, at most until the first-sync bound after it started; true when synced.</summary>
    ValueTask<bool> WaitForFirstSyncAsync(CancellationToken cancellationToken);

    /// <summary>A token that fires once when the entry of <c>ns/name</c> changes (appears, changes or goes).</summary>
    IChangeToken Watch(string ns, string name);

    /// <summary>The winning Service's ports, when the catalog has <c>ns/name</c>.</summary>
    bool TryGetPorts(string ns, string name, out IReadOnlyList<ServicePort> ports);

    /// <summary>The ready <c>host:port</c> addresses of the winning source's Endpoints for that Service port.</summary>
    IReadOnlyList<string> Resolve(string ns, string name, string? portName);
}
