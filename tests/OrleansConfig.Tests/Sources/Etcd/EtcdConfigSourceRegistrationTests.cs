using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class EtcdConfigSourceRegistrationTests
{
    private static IServiceCollection Register(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        return new ServiceCollection().AddEtcdConfigSource(configuration);
    }

    [Fact]
    public void Without_endpoints_nothing_is_registered()
    {
        Assert.Empty(Register(("Sources:Etcd:Name", "x")));
    }

    [Fact]
    public void With_endpoints_the_source_runs_as_a_hosted_service_with_bound_options()
    {
        var services = Register(
            ("Sources:Etcd:Endpoints", "http://127.0.0.1:2379,http://127.0.0.2:2379"),
            ("Sources:Etcd:Prefix", "/custom"),
            ("Sources:Etcd:Name", "etcd-b"),
            ("Sources:Etcd:ResyncPeriod", "00:01:00"));

        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(EtcdConfigSource));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<EtcdSourceOptions>>().Value;
        Assert.Equal(("/custom", "etcd-b", TimeSpan.FromMinutes(1)), (options.Prefix, options.Name, options.ResyncPeriod));
        Assert.Equal(["http://127.0.0.1:2379", "http://127.0.0.2:2379"], options.EndpointList);
    }

    [Fact]
    public void Invalid_options_fail_with_messages_naming_their_keys()
    {
        using var provider =
            Register(("Sources:Etcd:Endpoints", "htp://x"), ("Sources:Etcd:ResyncPeriod", "-00:00:01")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<EtcdSourceOptions>>().Value);

        Assert.Contains("Sources:Etcd:Endpoints: \"htp://x\" is not an http(s) URL", error.Failures);
        Assert.Contains("Sources:Etcd:ResyncPeriod: must be positive, got -00:00:01", error.Failures);
    }
}
