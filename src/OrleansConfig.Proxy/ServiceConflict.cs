namespace OrleansConfig.Proxy;

/// <summary>A Service that several sources publish (a catalog entry with other sources): the proxy uses <see cref="Chosen"/>'s; <see cref="Sources"/> in priority order.</summary>
internal sealed record ServiceConflict(ObjectKey Service, string Chosen, ValueList<string> Sources)
{
    public override string ToString() => $"{Service} from {string.Join(", ", Sources)}: using {Chosen}";
}
