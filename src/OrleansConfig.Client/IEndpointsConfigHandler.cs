namespace OrleansConfig;

/// <summary>Receives the whole union of Endpoints, ordered by namespace, name, then source.</summary>
public interface IEndpointsConfigHandler
{
    /// <summary>Receives the whole Endpoints union, in namespace, name, source order; never concurrently, never an older union after a newer.</summary>
    Task OnUpdate(IReadOnlyList<Endpoints> endpoints);
}
