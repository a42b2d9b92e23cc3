namespace OrleansConfig;

/// <summary>
/// Told which services of a <see cref="ServiceCatalog"/> changed; it reads their entries with
/// <see cref="ServiceCatalog.TryGet(ObjectKey, out CatalogEntry)"/>.
/// </summary>
public interface ICatalogChangeHandler
{
    /// <summary>
    /// The keys whose entry was added, changed or removed since the previous call (the first call: every key, possibly
    /// none). Never called concurrently; keys that change while it runs are gathered into the next call.
    /// </summary>
    Task OnChanged(IReadOnlyCollection<ObjectKey> keys);
}
