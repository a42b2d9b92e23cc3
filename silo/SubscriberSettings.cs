using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OrleansConfig.Subscribers;

namespace OrleansConfig.Silo;

/// <summary>
/// The subscriber registry's settings (<c>OrleansConfig:Subscribers:ExpireAfter</c>, <c>MaxPerClient</c>); the
/// registry's validator checks them at start, naming the key.
/// </summary>
internal static class SubscriberSettings
{
    public static void Apply(IServiceCollection services, IConfiguration configuration) =>
        services.Configure<SubscriberRegistryOptions>(configuration.GetSection(SubscriberRegistryOptions.SectionName));
}
