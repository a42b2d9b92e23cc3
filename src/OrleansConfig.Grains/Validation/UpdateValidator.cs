namespace OrleansConfig.Validation;

/// <summary>Checks a whole <see cref="SourceUpdate"/> before any of it is applied (all or nothing).</summary>
internal static class UpdateValidator
{
    public static IReadOnlyList<FieldError> Validate(SourceUpdate? update, UpdateLimits limits)
    {
        List<FieldError> errors = [];
        if (update is null)
        {
            errors.Add(new("", "update is required"));
            return errors;
        }
        if (update.Services is { } services)
        {
            Check(services.Op, services.Services, "services", limits, ConfigValidator.Validate, errors);
        }
        if (update.Endpoints is { } endpoints)
        {
            Check(endpoints.Op, endpoints.Endpoints, "endpoints", limits, ConfigValidator.Validate, errors);
        }
        return errors;
    }

    private static void Check<T>(
        Operation op,
        IReadOnlyList<T>? items,
        string kind,
        UpdateLimits limits,
        Func<T, string, IReadOnlyList<FieldError>> validate,
        List<FieldError> errors) where T : class, IConfigItem
    {
        if (!Enum.IsDefined(op))
        {
            errors.Add(new($"{kind}.op", $"must be one of Set, Add, Remove, got {(int)op}"));
        }
        if (items is null)
        {
            errors.Add(new(kind, "must be a list (an empty list clears with Set)"));
            return;
        }
        if (items.Count > limits.MaxItemsPerUpdate)
        {
            errors.Add(new(kind, $"must have at most {limits.MaxItemsPerUpdate} items, got {items.Count}"));
            return;
        }
        var seen = new Dictionary<ObjectKey, int>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var path = $"{kind}[{i}]";
            var item = items[i];
            if (item is null || item.Metadata is null)
            {
                errors.Add(new(path, "must not be null"));
                continue;
            }
            // A Remove names items; only their keys matter.
            if (op == Operation.Remove)
            {
                CheckKey(item.Metadata, path, errors);
                continue;
            }
            errors.AddRange(validate(item, path));
            if (!seen.TryAdd(item.Key(), i))
            {
                errors.Add(new($"{path}.metadata.name", $"duplicate \"{item.Key()}\" (also at {kind}[{seen[item.Key()]}])"));
            }
        }
    }

    private static void CheckKey(ObjectMeta metadata, string path, List<FieldError> errors)
    {
        if (string.IsNullOrEmpty(metadata.Name)) errors.Add(new($"{path}.metadata.name", "is required"));
        if (string.IsNullOrEmpty(metadata.Namespace)) errors.Add(new($"{path}.metadata.namespace", "is required"));
    }
}
