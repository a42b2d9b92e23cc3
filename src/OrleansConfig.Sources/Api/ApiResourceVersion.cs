using System.Globalization;

namespace OrleansConfig.Sources.Api;

/// <summary>
/// Kubernetes resourceVersions are opaque strings, but an API server stores in etcd and gives etcd's revision,
/// a decimal integer. That integer is the update's revision (the grain ignores older ones); one that does not
/// parse is sent as 0, unversioned, which the grain always applies.
/// </summary>
internal static class ApiResourceVersion
{
    public static long ToRevision(string? resourceVersion) =>
        long.TryParse(resourceVersion, NumberStyles.None, CultureInfo.InvariantCulture, out var revision) ? revision : 0;
}
