using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Sources.File;

namespace OrleansConfig.Silo;

/// <summary>
/// <c>OrleansConfig:Validation:FieldValidation</c> (<c>Warn</c> by default, <c>Strict</c>, <c>Ignore</c>): what the file
/// and etcd sources do with fields Kubernetes does not know. <c>Sources:File|Etcd:FieldValidation</c> override it.
/// </summary>
internal static class FieldValidationSettings
{
    public const string Key = "OrleansConfig:Validation:FieldValidation";

    public static IReadOnlyList<string> Check(IConfiguration configuration) =>
        configuration[Key] is { } text && Parse(text) is null ? [$"{Key}: must be Strict, Warn or Ignore, got \"{text}\""] : [];

    /// <summary>Call before the sources bind their own sections, so their keys win.</summary>
    public static void Apply(IServiceCollection services, IConfiguration configuration)
    {
        if (configuration[Key] is not { } text || Parse(text) is not { } mode) return;
        services.Configure<FileSourceOptions>(options => options.FieldValidation = mode);
        services.Configure<EtcdSourceOptions>(options => options.FieldValidation = mode);
    }

    // By name only: Enum.TryParse would also take "2".
    private static FieldValidation? Parse(string text) =>
        Enum.GetNames<FieldValidation>().FirstOrDefault(name => name.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<FieldValidation>(name)
            : null;
}
