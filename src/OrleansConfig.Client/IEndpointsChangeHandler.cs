namespace OrleansConfig;

/// <summary>
/// Told what changed in the Endpoints union since its last successful call (kube-proxy's <c>EndpointSliceHandler</c>):
/// first the whole union as <see cref="ConfigChanges{T}.Added"/>, then only the items that changed.
/// </summary>
public interface IEndpointsChangeHandler
{
    /// <summary>Called with the changes since the last call that returned; never concurrently with itself.</summary>
    Task OnChanges(ConfigChanges<Endpoints> changes);
}
