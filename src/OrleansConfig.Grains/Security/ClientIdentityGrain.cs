using Orleans.Concurrency;
using Orleans.Placement;

namespace OrleansConfig.Security;

/// <summary>
/// Which certificate identity an outside client connected with (key: the client's id), so that a silo other than
/// the client's gateway can tell who is calling. The first identity bound to a client id stays bound.
/// </summary>
[Alias("OrleansConfig.IClientIdentityGrain")]
internal interface IClientIdentityGrain : IGrainWithStringKey
{
    /// <summary>False when the id is already bound to another identity (a client claiming someone else's id).</summary>
    [Alias("Bind")]
    Task<bool> Bind(string identity);

    [Alias("Get"), AlwaysInterleave]
    Task<string?> Get();
}

// On the gateway that binds it; its connections re-bind it periodically, so it outlives a silo's death.
[PreferLocalPlacementAttribute]
[CollectionAgeLimit(Minutes = 30)]
internal sealed class ClientIdentityGrain : Grain, IClientIdentityGrain
{
    private string? _identity;

    public Task<bool> Bind(string identity)
    {
        _identity ??= identity;
        return Task.FromResult(_identity == identity);
    }

    public Task<string?> Get() => Task.FromResult(_identity);
}
