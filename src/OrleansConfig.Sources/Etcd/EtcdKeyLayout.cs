namespace OrleansConfig.Sources.Etcd;

/// <summary>
/// The original's etcd layout under one prefix: key ⇄ (kind, namespace, name). EndpointSlices get a third folder,
/// <c>endpointslices</c>, inside the prefix (Kubernetes keeps them at <c>/registry/endpointslices</c>), so one watch
/// still sees every kind at one revision.
/// </summary>
internal sealed class EtcdKeyLayout
{
    private const string ServicesFolder = "specs";
    private const string EndpointsFolder = "endpoints";
    private const string EndpointSlicesFolder = "endpointslices";

    public EtcdKeyLayout(string prefix)
    {
        Root = prefix.TrimEnd('/');
        WatchPrefix = Root + "/";
        ServicesPrefix = $"{Root}/{ServicesFolder}/";
        EndpointsPrefix = $"{Root}/{EndpointsFolder}/";
        EndpointSlicesPrefix = $"{Root}/{EndpointSlicesFolder}/";
    }

    /// <summary>The prefix without a trailing slash.</summary>
    public string Root { get; }

    /// <summary>Everything the source watches: both folders (and anything else under the prefix, ignored).</summary>
    public string WatchPrefix { get; }

    public string ServicesPrefix { get; }

    public string EndpointsPrefix { get; }

    public string EndpointSlicesPrefix { get; }

    public string PrefixOf(EtcdKind kind) => kind switch
    {
        EtcdKind.Service => ServicesPrefix,
        EtcdKind.Endpoints => EndpointsPrefix,
        _ => EndpointSlicesPrefix,
    };

    public string KeyOf(EtcdKind kind, string ns, string name) => $"{PrefixOf(kind)}{ns}/{name}";

    /// <summary>
    /// What <paramref name="key"/> names. Null with a null <paramref name="error"/>: the key is not in either
    /// folder (not ours, ignored); null with an error: it is in a folder but malformed.
    /// </summary>
    public EtcdKey? Parse(string key, out string? error)
    {
        error = null;
        EtcdKind kind;
        string rest;
        if (key.StartsWith(ServicesPrefix, StringComparison.Ordinal))
        {
            kind = EtcdKind.Service;
            rest = key[ServicesPrefix.Length..];
        }
        else if (key.StartsWith(EndpointsPrefix, StringComparison.Ordinal))
        {
            kind = EtcdKind.Endpoints;
            rest = key[EndpointsPrefix.Length..];
        }
        else if (key.StartsWith(EndpointSlicesPrefix, StringComparison.Ordinal))
        {
            kind = EtcdKind.EndpointSlice;
            rest = key[EndpointSlicesPrefix.Length..];
        }
        else
        {
            return null;
        }

        var slash = rest.IndexOf('/');
        if (slash <= 0 || slash == rest.Length - 1 || rest.IndexOf('/', slash + 1) >= 0)
        {
            error = $"key must be {PrefixOf(kind)}{{namespace}}/{{name}}";
            return null;
        }
        return new EtcdKey(kind, rest[..slash], rest[(slash + 1)..]);
    }
}

/// <summary>What an etcd key names: <c>{Prefix}/specs/{namespace}/{name}</c> is the Service <c>namespace/name</c>.</summary>
internal readonly record struct EtcdKey(EtcdKind Kind, string Namespace, string Name)
{
    public ObjectKey ObjectKey => new(Namespace, Name);

    public override string ToString() => $"{Kind} {Namespace}/{Name}";
}
