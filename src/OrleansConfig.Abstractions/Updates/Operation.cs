namespace OrleansConfig;

/// <summary>How an update changes a source's state of one kind.</summary>
public enum Operation
{
    /// <summary>Replace the source's whole state of this kind (an empty list clears it).</summary>
    Set,

    /// <summary>Insert or replace each item, by <c>namespace/name</c>.</summary>
    Add,

    /// <summary>Delete each item by <c>namespace/name</c>; an unknown key is a no-op.</summary>
    Remove,
}
