namespace OrleansConfig;

/// <summary>Which kinds of a change a subscriber wants.</summary>
[Flags]
public enum ConfigKinds
{
    /// <summary>Service changes.</summary>
    Services = 1,
    /// <summary>Endpoints changes.</summary>
    Endpoints = 2,
    /// <summary>Both kinds.</summary>
    All = Services | Endpoints,
}
