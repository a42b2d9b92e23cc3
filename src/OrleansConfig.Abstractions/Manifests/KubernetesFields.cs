using System.Collections.Frozen;

namespace OrleansConfig.Manifests;

/// <summary>
/// The fields Kubernetes v1 knows on each object the manifest reader walks, read or not: only a field outside these
/// is unknown. Objects the reader does not walk (<c>managedFields</c>, <c>status.conditions</c>)
/// are not checked inside.
/// </summary>
internal static class KubernetesFields
{
    public static readonly FrozenSet<string> Service = Set("apiVersion", "kind", "metadata", "spec", "status");

    public static readonly FrozenSet<string> Endpoints = Set("apiVersion", "kind", "metadata", "subsets");

    /// <summary><c>List</c>, <c>ServiceList</c> and <c>EndpointsList</c>.</summary>
    public static readonly FrozenSet<string> List = Set("apiVersion", "kind", "metadata", "items");

    public static readonly FrozenSet<string> ListMeta = Set("selfLink", "resourceVersion", "continue", "remainingItemCount");

    public static readonly FrozenSet<string> ObjectMeta = Set(
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields");

    public static readonly FrozenSet<string> ServiceSpec = Set(
        "ports", "selector", "clusterIP", "clusterIPs", "type", "externalIPs", "sessionAffinity", "loadBalancerIP",
        "loadBalancerSourceRanges", "externalName", "externalTrafficPolicy", "healthCheckNodePort",
        "publishNotReadyAddresses", "sessionAffinityConfig", "ipFamilies", "ipFamilyPolicy",
        "allocateLoadBalancerNodePorts", "loadBalancerClass", "internalTrafficPolicy", "trafficDistribution");

    public static readonly FrozenSet<string> ServicePort = Set("name", "protocol", "appProtocol", "port", "targetPort", "nodePort");

    public static readonly FrozenSet<string> SessionAffinityConfig = Set("clientIP");

    public static readonly FrozenSet<string> ClientIPConfig = Set("timeoutSeconds");

    public static readonly FrozenSet<string> ServiceStatus = Set("loadBalancer", "conditions");

    public static readonly FrozenSet<string> LoadBalancerStatus = Set("ingress");

    public static readonly FrozenSet<string> LoadBalancerIngress = Set("ip", "hostname", "ipMode", "ports");

    public static readonly FrozenSet<string> EndpointSubset = Set("addresses", "notReadyAddresses", "ports");

    public static readonly FrozenSet<string> EndpointAddress = Set("ip", "hostname", "nodeName", "targetRef");

    public static readonly FrozenSet<string> ObjectReference = Set(
        "kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath");

    public static readonly FrozenSet<string> EndpointPort = Set("name", "port", "protocol", "appProtocol");

    public static readonly FrozenSet<string> EndpointSlice = Set("apiVersion", "kind", "metadata", "addressType", "endpoints", "ports");

    public static readonly FrozenSet<string> SliceEndpoint = Set(
        "addresses", "conditions", "hostname", "targetRef", "nodeName", "zone", "hints", "deprecatedTopology");

    public static readonly FrozenSet<string> EndpointConditions = Set("ready", "serving", "terminating");

    public static readonly FrozenSet<string> EndpointHints = Set("forZones", "forNodes");

    public static readonly FrozenSet<string> ForZone = Set("name");

    private static FrozenSet<string> Set(params string[] fields) => fields.ToFrozenSet(StringComparer.Ordinal);
}
