namespace OrleansConfig.Validation;

/// <summary>
/// What the aggregator checks in a <see cref="SourceDelta"/> before it touches the union, so a bug in a source
/// grain cannot poison it; O(size of the delta). Per kind, a delta upserts at most <see cref="UpdateLimits.MaxItemsPerUpdate"/>
/// items (one update's) and removes at most that many or, for a Set, every item the source held before it.
/// </summary>
internal static class DeltaValidator
{
    /// <param name="delta">The delta to check; null is refused.</param>
    /// <param name="limits">The most items one update may carry.</param>
    /// <param name="held">The items of each kind the union holds for the source when the delta follows on from them;
    /// null when it does not (a gap or a repeat, which the union does not apply).</param>
    public static IReadOnlyList<FieldError> Validate(SourceDelta? delta, UpdateLimits limits, (int Services, int Endpoints)? held)
    {
        if (delta is null) return [new FieldError("", "delta is required")];
        List<FieldError> errors = [];
        if (SourceName.Check(delta.Source) is { } name) errors.Add(new FieldError("source", name));
        if (delta.Sequence < delta.PreviousSequence)
        {
            errors.Add(new FieldError("sequence", $"must be at least previousSequence {delta.PreviousSequence}, got {delta.Sequence}"));
        }
        var max = limits.MaxItemsPerUpdate;
        Items(delta.UpsertedServices, "upsertedServices", max, errors);
        Items(delta.UpsertedEndpoints, "upsertedEndpoints", max, errors);
        Count(delta.RemovedServices, "removedServices", Math.Max(max, held?.Services ?? int.MaxValue), errors);
        Count(delta.RemovedEndpoints, "removedEndpoints", Math.Max(max, held?.Endpoints ?? int.MaxValue), errors);
        return errors;
    }

    /// <summary>The exception a refused delta is thrown as: every error, in one line.</summary>
    public static ArgumentException Refused(SourceDelta? delta, IReadOnlyList<FieldError> errors) =>
        new($"delta from source {ErrorText.Quote(delta?.Source)} refused: {string.Join("; ", errors)}");

    private static void Items<T>(IReadOnlyList<T?>? items, string path, int max, List<FieldError> errors) where T : class, IConfigItem
    {
        if (!Count(items, path, max, errors)) return;
        for (var i = 0; i < items!.Count; i++)
        {
            // The union keys every item by its namespace/name: an item without one would fail half-way through a commit.
            if (items[i]?.Metadata is not { Name.Length: > 0, Namespace.Length: > 0 })
            {
                errors.Add(new FieldError($"{path}[{i}].metadata", "must have a name and a namespace"));
            }
        }
    }

    private static bool Count<T>(IReadOnlyList<T>? items, string path, int max, List<FieldError> errors)
    {
        if (items is null)
        {
            errors.Add(new FieldError(path, "required"));
            return false;
        }
        if (items.Count <= max) return true;
        errors.Add(new FieldError(path, $"must have at most {max} items, got {items.Count}"));
        return false;
    }
}
