namespace OrleansConfig.Sources.Etcd;

/// <summary>What the source does with one watch response.</summary>
internal enum WatchStep
{
    /// <summary>Nothing to apply (a progress notification).</summary>
    None,

    /// <summary>The watch is established: the source is healthy again.</summary>
    Established,

    /// <summary>Apply the response's events.</summary>
    Apply,

    /// <summary>The start revision is compacted: list again and Set.</summary>
    Relist,

    /// <summary>etcd ended the watch for another reason: back off and watch again.</summary>
    Fail,
}
