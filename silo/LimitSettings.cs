using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Validation;

namespace OrleansConfig.Silo;

/// <summary>
/// The bounds on input (<c>OrleansConfig:Limits</c>), the deletion guard (<c>OrleansConfig:DeletionGuard</c>), paged
/// snapshots (<c>OrleansConfig:Snapshots</c>, <see cref="SnapshotOptions"/>) and what
/// the grains accept (<c>OrleansConfig:Validation</c>): checked here so a mistake names its key, then given to the grains
/// (<see cref="UpdateLimits"/>, <see cref="DeletionGuardOptions"/>, <see cref="ValidationOptions"/>) and to the file and
/// etcd sources (<see cref="ManifestLimits"/>).
/// </summary>
internal static class LimitSettings
{
    public const string LimitsSection = "OrleansConfig:Limits";
    public const string ManifestSection = LimitsSection + ":Manifest";
    public const string DeletionGuardSection = "OrleansConfig:DeletionGuard";
    public const string SnapshotsSection = "OrleansConfig:Snapshots";
    public const string AllowSpecialAddressesKey = "OrleansConfig:Validation:AllowSpecialAddresses";

    /// <summary>
    /// Whether endpoint addresses in special ranges are accepted: as set, else only on the single-host default silo
    /// (no <c>Orleans:Clustering</c>), whose backends are on this machine. <c>Defaulted</c>: not set explicitly.
    /// </summary>
    public static (bool Allow, bool Defaulted) AllowSpecialAddresses(IConfiguration configuration) =>
        bool.TryParse(configuration[AllowSpecialAddressesKey], out var allow) ? (allow, false)
            : (!ClusterSettings.HasClustering(configuration), true);

    /// <summary>One message per bad setting, each naming its key.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        List<string> errors = [];
        Integer(configuration, $"{LimitsSection}:MaxItemsPerUpdate", 1, int.MaxValue, errors);
        Integer(configuration, $"{ManifestSection}:MaxBytes", 1, long.MaxValue, errors);
        Integer(configuration, $"{ManifestSection}:MaxDepth", 1, int.MaxValue, errors);
        Integer(configuration, $"{ManifestSection}:MaxItems", 1, int.MaxValue, errors);
        Integer(configuration, $"{DeletionGuardSection}:MaxRemovePercent", 0, 100, errors);
        Integer(configuration, $"{DeletionGuardSection}:MinItems", 0, int.MaxValue, errors);
        Integer(configuration, $"{SnapshotsSection}:MaxPageItems", 1, int.MaxValue, errors);
        Integer(configuration, $"{SnapshotsSection}:MaxReads", 1, int.MaxValue, errors);
        if (configuration[$"{SnapshotsSection}:ReadLifetime"] is { } lifetime
            && (!TimeSpan.TryParse(lifetime, CultureInfo.InvariantCulture, out var parsed) || parsed <= TimeSpan.Zero))
        {
            errors.Add($"{SnapshotsSection}:ReadLifetime: must be a positive duration such as 00:00:30, got \"{lifetime}\"");
        }
        if (configuration[AllowSpecialAddressesKey] is { } allow && !bool.TryParse(allow, out _))
        {
            errors.Add($"{AllowSpecialAddressesKey}: must be true or false, got \"{allow}\"");
        }
        foreach (var source in configuration.GetSection($"{DeletionGuardSection}:Sources").GetChildren())
        {
            Integer(configuration, source.Path, 0, 100, errors);
        }
        return errors;
    }

    /// <summary>Binds the checked settings; call after <see cref="Check"/> found nothing.</summary>
    public static void Apply(IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<UpdateLimits>(configuration.GetSection(LimitsSection));
        services.Configure<DeletionGuardOptions>(configuration.GetSection(DeletionGuardSection));
        services.Configure<SnapshotOptions>(configuration.GetSection(SnapshotsSection));
        var (allowSpecial, _) = AllowSpecialAddresses(configuration);
        services.Configure<ValidationOptions>(o => o.AllowSpecialAddresses = allowSpecial);
        var manifest = configuration.GetSection(ManifestSection);
        var defaults = ManifestLimits.Default;
        services.AddSingleton(new ManifestLimits
        {
            MaxBytes = manifest.GetValue("MaxBytes", defaults.MaxBytes),
            MaxDepth = manifest.GetValue("MaxDepth", defaults.MaxDepth),
            MaxItems = manifest.GetValue("MaxItems", defaults.MaxItems),
        });
    }

    private static void Integer(IConfiguration configuration, string key, long min, long max, List<string> errors)
    {
        if (configuration[key] is not { } text) return;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(max is int.MaxValue or long.MaxValue
                ? $"{key}: must be a whole number of at least {min}, got \"{text}\""
                : $"{key}: must be a whole number from {min} to {max}, got \"{text}\"");
        }
    }
}
