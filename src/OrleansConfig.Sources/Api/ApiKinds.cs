namespace OrleansConfig.Sources.Api;

internal static class ApiKinds
{
    /// <summary>The kinds to follow: one across all namespaces, or one in each of <see cref="ApiSourceOptions.Namespaces"/>.</summary>
    public static (ApiKind<Service>[] Services, ApiKind<Endpoints>[] Endpoints) All(
        IServicesWatcher services, IEndpointsWatcher endpoints, ApiSourceOptions options)
    {
        var namespaces = options.NamespaceList;
        if (namespaces.Count == 0) return ([Services(services, options, null)], [Endpoints(endpoints, options, null)]);
        return (
            [.. namespaces.Select(ns => Services(services, options, ns))],
            [.. namespaces.Select(ns => Endpoints(endpoints, options, ns))]);
    }

    public static ApiKind<Service> Services(IServicesWatcher watcher, ApiSourceOptions options, string? ns = null) => new()
    {
        Name = ns is null ? "services" : $"services in {ns}",
        Namespace = ns,
        Known = ns is null ? null : [],
        List = ns is null ? watcher.ListServicesAsync : token => watcher.ListServicesAsync(ns, token),
        Watch = ns is null ? watcher.WatchServicesAsync : (from, token) => watcher.WatchServicesAsync(ns, from, token),
        Update = (op, items, revision) => new SourceUpdate { Services = new ServiceUpdate(op, items) { Revision = revision } },
        Named = key => new Service { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } },
        Sync = NewSync(options),
        Filter = new ApiItemFilter<Service>("service", item => ConfigValidator.Validate(item)),
    };

    public static ApiKind<Endpoints> Endpoints(IEndpointsWatcher watcher, ApiSourceOptions options, string? ns = null) => new()
    {
        Name = ns is null ? "endpoints" : $"endpoints in {ns}",
        Namespace = ns,
        Known = ns is null ? null : [],
        List = ns is null ? watcher.ListEndpointsAsync : token => watcher.ListEndpointsAsync(ns, token),
        Watch = ns is null ? watcher.WatchEndpointsAsync : (from, token) => watcher.WatchEndpointsAsync(ns, from, token),
        Update = (op, items, revision) => new SourceUpdate { Endpoints = new EndpointsUpdate(op, items) { Revision = revision } },
        Named = key => new Endpoints { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } },
        Sync = NewSync(options),
        Filter = new ApiItemFilter<Endpoints>("endpoints", item => ConfigValidator.Validate(item)),
    };

    private static ApiSyncState NewSync(ApiSourceOptions options) =>
        new(options.ResyncPeriod, Backoff.Jittered(options.RetryInitialDelay, options.RetryMaxDelay));
}
