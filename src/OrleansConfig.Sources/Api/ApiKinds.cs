namespace OrleansConfig.Sources.Api;

internal static class ApiKinds
{
    /// <summary>
    /// The kinds to follow: one across all namespaces, or one in each of <see cref="ApiSourceOptions.Namespaces"/>; endpoints
    /// from EndpointSlices or from v1 Endpoints (the other array empty), as <see cref="ApiSourceOptions.EndpointsFrom"/> says.
    /// </summary>
    public static (ApiKind<Service>[] Services, ApiKind<Endpoints>[] Endpoints, ApiKind<EndpointSlice>[] Slices) All(
        IServicesWatcher services, IEndpointsWatcher endpoints, IEndpointSlicesWatcher? slices, ApiSourceOptions options)
    {
        IReadOnlyList<string?> namespaces = options.NamespaceList is { Count: > 0 } list ? [.. list] : [null];
        if (!options.ReadsSlices) return ([.. namespaces.Select(ns => Services(services, options, ns))],
            [.. namespaces.Select(ns => Endpoints(endpoints, options, ns))], []);
        if (slices is null)
        {
            throw new InvalidOperationException(
                $"{ApiSourceOptions.SectionName}:EndpointsFrom is {ApiSourceOptions.EndpointSlicesValue} but no " +
                $"{nameof(IEndpointSlicesWatcher)} is registered; register one, or set it to {ApiSourceOptions.EndpointsValue}");
        }
        return ([.. namespaces.Select(ns => Services(services, options, ns))], [],
            [.. namespaces.Select(ns => EndpointSlices(slices, options, ns))]);
    }

    public static ApiKind<Service> Services(IServicesWatcher watcher, ApiSourceOptions options, string? ns = null) => new()
    {
        Name = ns is null ? "services" : $"services in {ns}",
        Resource = "services",
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
        Resource = "endpoints",
        Namespace = ns,
        Known = ns is null ? null : [],
        List = ns is null ? watcher.ListEndpointsAsync : token => watcher.ListEndpointsAsync(ns, token),
        Watch = ns is null ? watcher.WatchEndpointsAsync : (from, token) => watcher.WatchEndpointsAsync(ns, from, token),
        Update = (op, items, revision) => new SourceUpdate { Endpoints = new EndpointsUpdate(op, items) { Revision = revision } },
        Named = key => new Endpoints { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } },
        Sync = NewSync(options),
        Filter = new ApiItemFilter<Endpoints>("endpoints", item => ConfigValidator.Validate(item)),
    };

    public static ApiKind<EndpointSlice> EndpointSlices(IEndpointSlicesWatcher slices, ApiSourceOptions options, string? ns = null) => new()
    {
        Name = ns is null ? "endpointslices" : $"endpointslices in {ns}",
        Resource = "endpointslices",
        Namespace = ns,
        // The merge knows what it sent; a list of one namespace is sent as its changes alone.
        Known = null,
        List = ns is null ? slices.ListEndpointSlicesAsync : token => slices.ListEndpointSlicesAsync(ns, token),
        Watch = ns is null ? slices.WatchEndpointSlicesAsync : (from, token) => slices.WatchEndpointSlicesAsync(ns, from, token),
        Update = (_, _, _) => throw new InvalidOperationException("EndpointSlices are sent merged, as their Services' Endpoints"),
        Named = key => new EndpointSlice { Metadata = new ObjectMeta { Namespace = key.Namespace, Name = key.Name } },
        Sync = NewSync(options),
        Filter = new ApiItemFilter<EndpointSlice>("endpointslice", ValidateSlice, oncePerObject: true),
        Merge = new ApiSliceState(),
    };

    /// <summary>A slice must name its Service, and what it adds to its Service's Endpoints must be valid.</summary>
    internal static IReadOnlyList<FieldError> ValidateSlice(EndpointSlice slice)
    {
        if (slice.ServiceName is not { } service)
        {
            return [new FieldError($"metadata.labels[{EndpointSlice.ServiceNameLabel}]", "is required: it names the slice's Service")];
        }
        return EndpointSliceMerge.Merge(slice.Metadata.Namespace, service, [slice]) is { } endpoints
            ? ConfigValidator.Validate(endpoints)
            : [];
    }

    private static ApiSyncState NewSync(ApiSourceOptions options) =>
        new(options.ResyncPeriod, Backoff.Jittered(options.RetryInitialDelay, options.RetryMaxDelay));
}
