namespace OrleansConfig.Sources.Api;

/// <summary>
/// Keeps objects that fail validation out of a kind's updates, so one bad object never blocks the rest.
/// A bad object is reported once per version of it (with <paramref name="oncePerObject"/>, once until it turns good or
/// goes): a resync that finds the same bad object stays quiet.
/// </summary>
internal sealed class ApiItemFilter<T>(string kind, Func<T, IReadOnlyList<FieldError>> validate, bool oncePerObject = false)
    where T : class, IConfigItem
{
    // The bad object currently at each key.
    private Dictionary<ObjectKey, T> _bad = [];

    /// <summary>How many objects are currently skipped.</summary>
    public int BadCount => _bad.Count;

    /// <summary>The valid objects of a list (the first of any key listed twice), noting the bad ones.</summary>
    public List<T> FromList(IReadOnlyList<T> items, List<ApiBadObject> newlyBad)
    {
        var bad = new Dictionary<ObjectKey, T>();
        var seen = new HashSet<ObjectKey>();
        List<T> good = new(items.Count);
        foreach (var item in items)
        {
            var key = item.Key();
            if (!seen.Add(key))
            {
                Note(bad, key, item, "listed more than once; the first is kept", newlyBad);
                continue;
            }
            if (Check(item) is { } reason) Note(bad, key, item, reason, newlyBad);
            else good.Add(item);
        }
        _bad = bad;
        return good;
    }

    /// <summary>The object when it is valid; null when it is bad (its key's item must then go, as it can no longer be read).</summary>
    public T? FromEvent(T item, List<ApiBadObject> newlyBad)
    {
        var key = item.Key();
        if (Check(item) is { } reason)
        {
            Note(_bad, key, item, reason, newlyBad);
            return null;
        }
        _bad.Remove(key);
        return item;
    }

    public void Deleted(ObjectKey key) => _bad.Remove(key);

    private string? Check(T item)
    {
        var errors = validate(item);
        return errors.Count == 0 ? null : string.Join("; ", errors);
    }

    private void Note(Dictionary<ObjectKey, T> bad, ObjectKey key, T item, string reason, List<ApiBadObject> newlyBad)
    {
        if (!_bad.TryGetValue(key, out var known) || (!oncePerObject && !known.Equals(item)))
        {
            newlyBad.Add(new ApiBadObject(kind, key, reason));
        }
        bad[key] = item;
    }
}

/// <summary>An object the source skipped, and why.</summary>
internal sealed record ApiBadObject(string Kind, ObjectKey Key, string Reason);
