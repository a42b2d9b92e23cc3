namespace OrleansConfig.Client;

/// <summary>
/// Folds consecutive updates of one kind into a single update with the same effect, so a busy channel
/// sends one grain call for many writes: Add·Add = Add, Remove·Remove = Remove, Set·Add and Set·Remove =
/// Set, anything·Set = Set. Add·Remove and Remove·Add do not fold (no single operation does both).
/// </summary>
internal sealed class UpdateRun<T>(Operation op, IReadOnlyList<T> items) where T : class, IConfigItem
{
    private readonly Dictionary<ObjectKey, T> _items = ToMap(items);

    public Operation Op { get; private set; } = op;

    public int Folded { get; private set; } = 1;

    public bool TryFold(Operation next, IReadOnlyList<T> items)
    {
        switch (Op, next)
        {
            case (_, Operation.Set):
                _items.Clear();
                foreach (var item in items) _items[item.Key()] = item;
                Op = Operation.Set;
                break;
            case (Operation.Add, Operation.Add):
            case (Operation.Set, Operation.Add):
            case (Operation.Remove, Operation.Remove):
                foreach (var item in items) _items[item.Key()] = item;
                break;
            case (Operation.Set, Operation.Remove):
                foreach (var item in items) _items.Remove(item.Key());
                break;
            default:
                return false;
        }
        Folded++;
        return true;
    }

    public T[] Items() => [.. _items.Values];

    private static Dictionary<ObjectKey, T> ToMap(IReadOnlyList<T> items)
    {
        var map = new Dictionary<ObjectKey, T>(items.Count);
        foreach (var item in items) map[item.Key()] = item;
        return map;
    }
}
