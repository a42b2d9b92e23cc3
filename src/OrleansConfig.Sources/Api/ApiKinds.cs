namespace OrleansConfig.Sources.Api;

internal static class ApiKinds
{
    public static ApiKind<Service> Services(IServicesWatcher watcher, ApiSourceOptions options) => new()
    {
        Name = "services",
        List = watcher.ListServicesAsync,
        Watch = watcher.WatchServicesAsync,
        Update = (op, items, revision) => new SourceUpdate { Services = new ServiceUpdate(op, items) { Revision = revision } },
        Named = key => new Service { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } },
        Sync = NewSync(options),
        Filter = new ApiItemFilter<Service>("service", item => ConfigValidator.Validate(item)),
    };

    public static ApiKind<Endpoints> Endpoints(IEndpointsWatcher watcher, ApiSourceOptions options) => new()
    {
        Name = "endpoints",
        List = watcher.ListEndpointsAsync,
        Watch = watcher.WatchEndpointsAsync,
        Update = (op, items, revision) => new SourceUpdate { Endpoints = new EndpointsUpdate(op, items) { Revision = revision } },
        Named = key => new Endpoints { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } },
        Sync = NewSync(options),
        Filter = new ApiItemFilter<Endpoints>("endpoints", item => ConfigValidator.Validate(item)),
    };

    private static ApiSyncState NewSync(ApiSourceOptions options) =>
        new(options.ResyncPeriod, Backoff.Jittered(options.RetryInitialDelay, options.RetryMaxDelay));
}
