namespace OrleansConfig.Streaming;

/// <summary>
/// Test-only: registered in a silo's services, it rewrites what the union queue hands the pulling agent
/// (losing, duplicating or reordering messages) so tests can show subscribers survive a faulty stream.
/// </summary>
internal interface IUnionStreamFaults
{
    IReadOnlyList<UnionQueueMessage> Apply(IReadOnlyList<UnionQueueMessage> messages);
}
