namespace OrleansConfig.Validation;

/// <summary>Checks a whole <see cref="SourceUpdate"/> before any of it is applied (all or nothing).</summary>
internal static class UpdateValidator
{
    public static IReadOnlyList<FieldError> Validate(SourceUpdate? update, UpdateLimits limits)
    {
        if (update is null) return [new FieldError("", "update is required")];
        // Size first: a hostile million-item update is refused before any per-item work.
        List<FieldError> errors = [];
        CheckSize(update.Services?.Services, "services", limits, errors);
        CheckSize(update.Endpoints?.Endpoints, "endpoints", limits, errors);
        return errors.Count > 0 ? errors : ConfigValidator.Validate(update);
    }

    private static void CheckSize<T>(IReadOnlyList<T>? items, string path, UpdateLimits limits, List<FieldError> errors)
    {
        if (items is not null && items.Count > limits.MaxItemsPerUpdate)
        {
            errors.Add(new(path, $"must have at most {limits.MaxItemsPerUpdate} items, got {items.Count}"));
        }
    }
}
