using Microsoft.Extensions.Options;

namespace OrleansConfig.Silo.Http;

/// <summary>Checks <see cref="SiloHttpOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class SiloHttpOptionsValidator : IValidateOptions<SiloHttpOptions>
{
    private const int MaxEventStreamClients = 10_000;

    public ValidateOptionsResult Validate(string? name, SiloHttpOptions options)
    {
        List<string> failures = [];
        Between(nameof(SiloHttpOptions.SourcesRefresh), options.SourcesRefresh, TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1),
            failures);
        Between(nameof(SiloHttpOptions.KeepAlive), options.KeepAlive, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), failures);
        Between(nameof(SiloHttpOptions.RequestTimeout), options.RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5),
            failures);
        Between(nameof(SiloHttpOptions.MinPushInterval), options.MinPushInterval, TimeSpan.Zero, TimeSpan.FromMinutes(1), failures);
        if (options.MaxEventStreamClients is < 1 or > MaxEventStreamClients)
        {
            failures.Add(
                $"{SiloHttpOptions.SectionName}:{nameof(SiloHttpOptions.MaxEventStreamClients)}: must be between 1 and " +
                $"{MaxEventStreamClients}, got {options.MaxEventStreamClients}");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Between(string key, TimeSpan value, TimeSpan min, TimeSpan max, List<string> failures)
    {
        if (value < min || value > max) failures.Add($"{SiloHttpOptions.SectionName}:{key}: must be between {min} and {max}, got {value}");
    }
}
