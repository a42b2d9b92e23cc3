namespace OrleansConfig.Tests.Client;

/// <summary>Small builders for union items; the label "rev" makes two versions of one item differ.</summary>
internal static class TestItems
{
    public static Service Service(string ns, string name, string source = "", string rev = "1") =>
        new Service
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = ValueMap.From([new("rev", rev)]) },
        }.WithSource(source);

    public static Endpoints Endpoints(string ns, string name, string source = "", string rev = "1") =>
        new Endpoints
        {
            Metadata = new ObjectMeta { Namespace = ns, Name = name, Labels = ValueMap.From([new("rev", rev)]) },
        }.WithSource(source);

    public static string Rev(this IConfigItem item) => item.Metadata.Labels["rev"];

    /// <summary>"ns/name@source" for each item, in order: what ordering tests compare.</summary>
    public static string[] Describe<T>(this IEnumerable<T> items) where T : IConfigItem =>
        [.. items.Select(i => $"{i.Key()}@{i.Source()}")];

    public static UnionVersion V(Guid epoch, long version) => new(epoch, version);
}
