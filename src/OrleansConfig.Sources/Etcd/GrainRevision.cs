namespace OrleansConfig.Etcd;

/// <summary>
/// The revision an update carries to the SourceGrain, from etcd's. The grain applies a kind's update only
/// when its revision is newer than the last it applied, which keeps racing watchers from resurrecting a
/// deleted item. One etcd revision (a transaction) may both put and delete items of one kind, which takes
/// two updates (Remove, then Add), so etcd revision R maps to two grain revisions: 2R for the removals
/// of such a mixed revision, and 2R+1 for everything else (a whole list read at R included).
/// </summary>
internal static class GrainRevision
{
    public static long Of(long etcdRevision) => checked((etcdRevision * 2) + 1);

    public static long RemovalsOf(long etcdRevision) => checked(etcdRevision * 2);
}
