namespace OrleansConfig.Reporting;

/// <summary>The order the CLI and the silo's HTTP API list union items in: namespace, name, then source.</summary>
internal static class UnionOrder
{
    public static IReadOnlyList<T> Sorted<T>(IEnumerable<T> items) where T : IConfigItem =>
        [.. items.OrderBy(i => i.Metadata.Namespace, StringComparer.Ordinal)
            .ThenBy(i => i.Metadata.Name, StringComparer.Ordinal)
            .ThenBy(i => i.Source(), StringComparer.Ordinal)];
}
