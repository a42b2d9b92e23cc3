namespace OrleansConfig;

/// <summary>
/// Told what changed in the Service union since its last successful call (kube-proxy's <c>ServiceHandler</c>):
/// first the whole union as <see cref="ConfigChanges{T}.Added"/>, then only the items that changed.
/// </summary>
public interface IServiceChangeHandler
{
    /// <summary>Called with the changes since the last call that returned; never concurrently with itself.</summary>
    Task OnChanges(ConfigChanges<Service> changes);
}
