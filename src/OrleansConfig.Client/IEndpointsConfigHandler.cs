namespace OrleansConfig;

/// <summary>Receives the whole union of Endpoints, ordered by namespace, name, then source.</summary>
public interface IEndpointsConfigHandler
{
    Task OnUpdate(IReadOnlyList<Endpoints> endpoints);
}
