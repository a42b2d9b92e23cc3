namespace OrleansConfig;

/// <summary>Receives the whole union of Services, ordered by namespace, name, then source.</summary>
public interface IServiceConfigHandler
{
    /// <summary>Receives the whole Service union, in namespace, name, source order; never concurrently, never an older union after a newer.</summary>
    Task OnUpdate(IReadOnlyList<Service> services);
}
