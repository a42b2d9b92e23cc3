using OrleansConfig.State;

namespace OrleansConfig.Validation;

/// <summary>Decides whether a planned change removes too much of a source (see <see cref="DeletionGuardOptions"/>).</summary>
internal static class DeletionGuard
{
    /// <summary>The reason to refuse, or null to let it through.</summary>
    public static FieldError? Check(
        string source, SourceUpdate update, SourceDelta delta, int itemsBefore, DeletionGuardOptions options, SliceChange? slices = null)
    {
        if (update.Force) return null;
        var isSet = update.Services?.Op == Operation.Set || update.Endpoints?.Op == Operation.Set || update.EndpointSlices?.Op == Operation.Set;
        if (!isSet || itemsBefore < options.MinItems) return null;
        var limit = options.Sources.TryGetValue(source, out var own) ? own : options.MaxRemovePercent;
        if (limit is not { } percent) return null;
        var removed = delta.RemovedServices.Count + delta.RemovedEndpoints.Count + (slices?.RemovedSlices.Count ?? 0);
        if (removed * 100L <= percent * (long)itemsBefore) return null;
        return new FieldError("", $"would remove {removed} of the source's {itemsBefore} items ({removed * 100 / itemsBefore}%), " +
            $"over its deletion limit of {percent}%; send it again with force to apply it");
    }
}
