namespace OrleansConfig;

/// <summary>Which kinds of a change a subscriber wants.</summary>
[Flags]
public enum ConfigKinds
{
    Services = 1,
    Endpoints = 2,
    All = Services | Endpoints,
}
