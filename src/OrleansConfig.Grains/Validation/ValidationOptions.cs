namespace OrleansConfig.Validation;

/// <summary>What the grains accept beyond Kubernetes' field rules. Bound from <c>OrleansConfig:Validation</c>.</summary>
public sealed class ValidationOptions
{
    /// <summary>
    /// Accept endpoint addresses Kubernetes refuses (loopback, link-local, unspecified, multicast), for a single
    /// machine whose backends listen on 127.0.0.1. Off by default; the single-host default silo turns it on.
    /// </summary>
    public bool AllowSpecialAddresses { get; set; }
}
