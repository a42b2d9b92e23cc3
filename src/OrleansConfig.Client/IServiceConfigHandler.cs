namespace OrleansConfig;

/// <summary>Receives the whole union of Services, ordered by namespace, name, then source.</summary>
public interface IServiceConfigHandler
{
    Task OnUpdate(IReadOnlyList<Service> services);
}
