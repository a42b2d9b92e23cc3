namespace OrleansConfig.Validation;

/// <summary>Checks a whole <see cref="SourceUpdate"/> before any of it is applied (all or nothing).</summary>
internal static class UpdateValidator
{
    public static IReadOnlyList<FieldError> Validate(SourceUpdate? update, UpdateLimits limits, ValidationOptions options)
    {
        if (update is null) return [new FieldError("", "update is required")];
        // Size first: a hostile million-item update is refused before any per-item work.
        List<FieldError> errors = [];
        CheckSize(update.Services?.Services, "services", limits, errors);
        CheckSize(update.Endpoints?.Endpoints, "endpoints", limits, errors);
        CheckSize(update.EndpointSlices?.Slices, "endpointSlices", limits, errors);
        if (errors.Count > 0) return errors;
        var fieldErrors = ConfigValidator.Validate(update);
        if (options.AllowSpecialAddresses) return fieldErrors;
        errors.AddRange(fieldErrors);
        if (update.EndpointSlices is { Op: Operation.Set or Operation.Add, Slices: { } slices }) CheckSlices(slices, errors);
        if (update.Endpoints is not { Op: Operation.Set or Operation.Add, Endpoints: { } endpoints }) return errors;
        for (var i = 0; i < endpoints.Count; i++)
        {
            var subsets = endpoints[i]?.Subsets;
            for (var j = 0; j < (subsets?.Count ?? 0); j++)
            {
                CheckAddresses(subsets![j]?.Addresses, $"endpoints[{i}].subsets[{j}].addresses", errors);
                CheckAddresses(subsets[j]?.NotReadyAddresses, $"endpoints[{i}].subsets[{j}].notReadyAddresses", errors);
            }
        }
        return errors;
    }

    private static void CheckSize<T>(IReadOnlyList<T>? items, string path, UpdateLimits limits, List<FieldError> errors)
    {
        if (items is not null && items.Count > limits.MaxItemsPerUpdate)
        {
            errors.Add(new(path, $"must have at most {limits.MaxItemsPerUpdate} items, got {items.Count}"));
        }
    }

    /// <summary>The same rule for the IP addresses of slices (an FQDN slice has none).</summary>
    private static void CheckSlices(IReadOnlyList<EndpointSlice> slices, List<FieldError> errors)
    {
        for (var i = 0; i < slices.Count; i++)
        {
            if (slices[i] is not { AddressType: EndpointSlice.AddressTypes.IPv4 or EndpointSlice.AddressTypes.IPv6 } slice) continue;
            for (var j = 0; j < (slice.Endpoints?.Count ?? 0); j++)
            {
                var addresses = slice.Endpoints![j]?.Addresses;
                for (var k = 0; k < (addresses?.Count ?? 0); k++)
                {
                    if (IpRules.SpecialRange(addresses![k]) is { } why)
                    {
                        errors.Add(new FieldError($"endpointSlices[{i}].endpoints[{j}].addresses[{k}]", $"{why}, got {ErrorText.Quote(addresses[k])}"));
                    }
                }
            }
        }
    }

    /// <summary>Kubernetes' ValidateNonSpecialIP on each address (one that does not parse is reported by the field rules).</summary>
    private static void CheckAddresses(ValueList<EndpointAddress>? addresses, string path, List<FieldError> errors)
    {
        for (var k = 0; k < (addresses?.Count ?? 0); k++)
        {
            if (addresses![k]?.Ip is { } ip && IpRules.SpecialRange(ip) is { } why)
            {
                errors.Add(new FieldError($"{path}[{k}].ip", $"{why}, got {ErrorText.Quote(ip)}"));
            }
        }
    }
}
