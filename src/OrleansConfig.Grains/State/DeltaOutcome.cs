namespace OrleansConfig.State;

internal enum DeltaOutcome
{
    /// <summary>Applied and given the next version.</summary>
    Applied,

    /// <summary>Already in the union (a retry or a race with a resync): nothing to do.</summary>
    Duplicate,

    /// <summary>The union missed an earlier change of that source: it must resync the source.</summary>
    Gap,
}
