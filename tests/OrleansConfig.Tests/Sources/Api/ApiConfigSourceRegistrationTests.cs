using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiConfigSourceRegistrationTests
{
    private static IServiceCollection Register(params (string Key, string Value)[] settings) => Register(new ServiceCollection(), settings);

    private static IServiceCollection Register(IServiceCollection services, params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value)))
            .Build();
        return services.AddApiConfigSource(configuration);
    }

    [Fact]
    public void Without_a_server_kubeconfig_or_in_cluster_nothing_is_registered()
    {
        Assert.Empty(Register(("Sources:Api:Name", "x"), ("Sources:Api:Token", "t"), ("Sources:Api:InCluster", "false")));
    }

    [Fact]
    public void With_a_server_the_source_runs_as_a_hosted_service_with_bound_options()
    {
        var services = Register(
            ("Sources:Api:Server", "http://127.0.0.1:8080"),
            ("Sources:Api:Name", "k8s-a"),
            ("Sources:Api:Token", "secret"),
            ("Sources:Api:ResyncPeriod", "00:10:00"));

        Assert.Contains(services, d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(ApiConfigSource));
        using var provider = services.BuildServiceProvider();
        var options = provider.GetRequiredService<IOptions<ApiSourceOptions>>().Value;
        Assert.Equal(("http://127.0.0.1:8080", "k8s-a", "secret", TimeSpan.FromMinutes(10)),
            (options.Server, options.Name, options.Token, options.ResyncPeriod));
        Assert.Same(provider.GetRequiredService<IServicesWatcher>(), provider.GetRequiredService<IEndpointsWatcher>());
        Assert.Same(provider.GetRequiredService<IServicesWatcher>(), provider.GetRequiredService<IEndpointSlicesWatcher>());
        Assert.Equal("EndpointSlices", options.EndpointsFrom);
    }

    [Fact]
    public void Watchers_registered_first_are_used_instead_of_the_kubernetes_client()
    {
        var fake = new FakeApiWatcher();
        var services = new ServiceCollection().AddSingleton<IServicesWatcher>(fake).AddSingleton<IEndpointsWatcher>(fake);
        Register(services, ("Sources:Api:Server", "http://127.0.0.1:8080"));

        using var provider = services.BuildServiceProvider();
        Assert.Same(fake, provider.GetRequiredService<IServicesWatcher>());
        Assert.Same(fake, provider.GetRequiredService<IEndpointsWatcher>());
    }

    [Fact]
    public void In_cluster_alone_enables_it_and_a_value_that_is_not_a_boolean_is_reported_not_ignored()
    {
        Assert.NotEmpty(Register(("Sources:Api:InCluster", "true")));

        using var provider = Register(("Sources:Api:InCluster", "yes")).BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<ApiSourceOptions>>().Value);
    }

    [Fact]
    public void Invalid_options_fail_with_messages_naming_their_keys()
    {
        using var provider = Register(
            ("Sources:Api:Server", "htp://x"), ("Sources:Api:ResyncPeriod", "-00:00:01"), ("Sources:Api:EndpointsFrom", "Slices"))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ApiSourceOptions>>().Value);

        Assert.Contains("Sources:Api:Server: \"htp://x\" is not an http(s) URL", error.Failures);
        Assert.Contains("Sources:Api:ResyncPeriod: must not be negative (zero: never), got -00:00:01", error.Failures);
        Assert.Contains("Sources:Api:EndpointsFrom: must be EndpointSlices or Endpoints, got \"Slices\"", error.Failures);
    }
}
