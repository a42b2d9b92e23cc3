using Microsoft.Extensions.Options;

namespace OrleansConfig.Subscribers;

/// <summary>The subscriber registry's bounds (<c>OrleansConfig:Subscribers</c>).</summary>
internal sealed class SubscriberRegistryOptions
{
    public const string SectionName = "OrleansConfig:Subscribers";

    /// <summary>An entry not reported for this long is dropped: about three of the clients' report intervals (5 s by default).</summary>
    public TimeSpan ExpireAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Entries one client may hold; beyond it its least recently reported one goes.</summary>
    public int MaxPerClient { get; set; } = 256;
}

/// <summary>Refuses bounds the registry cannot work with, naming the key.</summary>
internal sealed class SubscriberRegistryOptionsValidator : IValidateOptions<SubscriberRegistryOptions>
{
    public ValidateOptionsResult Validate(string? name, SubscriberRegistryOptions options)
    {
        List<string> errors = [];
        if (options.ExpireAfter < TimeSpan.FromSeconds(1))
        {
            errors.Add($"{SubscriberRegistryOptions.SectionName}:{nameof(options.ExpireAfter)}: " +
                $"must be at least 00:00:01, got {options.ExpireAfter}");
        }
        if (options.MaxPerClient < 1)
        {
            errors.Add($"{SubscriberRegistryOptions.SectionName}:{nameof(options.MaxPerClient)}: " +
                $"must be at least 1, got {options.MaxPerClient}");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
