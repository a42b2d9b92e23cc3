namespace OrleansConfig;

/// <summary>
/// A client was pointed at a gateway of another Orleans cluster: the cluster ids differ. Thrown by the client's start
/// (<c>AddOrleansConfigClient</c>) at the first such answer, naming both ids, instead of retrying forever.
/// </summary>
public sealed class ClusterIdMismatchException(string message, Exception inner) : Exception(message, inner);
