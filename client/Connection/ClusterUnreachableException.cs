namespace OrleansConfig.Cli.Connection;

/// <summary>The cluster could not be reached (exit code 3).</summary>
internal sealed class ClusterUnreachableException(string gateways, string reason, Exception? inner = null)
    : Exception($"cannot reach the cluster at {gateways}: {reason}", inner);
