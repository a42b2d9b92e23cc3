using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.ServiceDiscovery;
using OrleansConfig.ServiceDiscovery;
using Xunit;

namespace OrleansConfig.Tests.ServiceDiscovery;

/// <summary>The provider inside the library's own resolver, on a catalog in memory: what the library sees of it.</summary>
public sealed class CatalogEndpointProviderTests : IAsyncLifetime
{
    private static readonly ServicePort Http = new() { Name = "http", Port = 80 };
    private static readonly ServicePort Grpc = new() { Name = "grpc", Port = 5000 };

    private readonly FakeCatalogView _catalog = new();
    private ServiceProvider _provider = null!;
    private ServiceEndpointResolver _resolver = null!;

    public Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Services:legacy:http:0"] = "10.9.9.9:8080",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<ICatalogView>(_catalog);
        services.AddServiceDiscoveryCore();
        services.AddOrleansConfigServiceEndpointProvider(o => o.DefaultNamespace = "shop");
        services.AddConfigurationServiceEndpointProvider();
        _provider = services.BuildServiceProvider();
        _resolver = _provider.GetRequiredService<ServiceEndpointResolver>();
        _catalog.Synced.SetResult(true);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _provider.DisposeAsync();

    [Fact]
    public async Task A_known_service_resolves_to_its_ready_addresses()
    {
        _catalog.Set("shop", "web", [Http], Ready(("http", ["10.0.0.1:80", "10.0.0.2:80"])));

        var endpoints = await Resolve("http://web");

        Assert.Equal(["http://10.0.0.1/", "http://10.0.0.2/"], endpoints);
    }

    [Fact]
    public async Task A_named_port_resolves_to_that_port_s_addresses()
    {
        _catalog.Set("shop", "api", [Http, Grpc], Ready(("http", ["10.0.0.1:80"]), ("grpc", ["10.0.0.1:5000"])));

        Assert.Equal(["10.0.0.1:5000"], await Resolve("https+http://_grpc.api.shop"));
    }

    [Fact]
    public async Task A_name_the_catalog_does_not_know_falls_through_to_configuration()
    {
        Assert.Equal(["10.9.9.9:8080"], await Resolve("http://legacy"));
    }

    [Fact]
    public async Task A_change_of_the_entry_fires_the_token_and_the_next_resolution_reads_it()
    {
        _catalog.Set("shop", "cart", [Http], Ready(("http", ["10.0.0.1:80", "10.0.0.2:80"])));
        var first = await _resolver.GetEndpointsAsync("http://cart", CancellationToken.None);
        Assert.False(first.ChangeToken.HasChanged);

        _catalog.Set("shop", "cart", [Http], Ready(("http", ["10.0.0.2:80"])));

        Assert.True(first.ChangeToken.HasChanged);
        Assert.Equal(["http://10.0.0.2/"], await Resolve("http://cart"));
    }

    [Fact]
    public async Task A_service_that_appears_later_is_resolved_without_polling()
    {
        var first = await _resolver.GetEndpointsAsync("http://late", CancellationToken.None);
        Assert.Empty(first.Endpoints);

        _catalog.Set("shop", "late", [Http], Ready(("http", ["10.0.0.7:80"])));

        Assert.True(first.ChangeToken.HasChanged);
        Assert.Equal(["http://10.0.0.7/"], await Resolve("http://late"));
    }

    [Fact]
    public async Task A_port_the_service_lacks_is_a_precise_error()
    {
        _catalog.Set("shop", "db", [Http], Ready(("http", ["10.0.0.1:80"])));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Resolve("http://_grpc.db"));

        Assert.Equal("OrleansConfig service shop/db has no port named \"grpc\" (its ports: http)", error.Message);
    }

    [Fact]
    public async Task A_service_without_ready_addresses_is_a_precise_error()
    {
        _catalog.Set("shop", "idle", [Http], Ready(("http", [])));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Resolve("http://idle"));

        Assert.Equal("OrleansConfig service shop/idle has no ready addresses for port http", error.Message);
    }

    [Fact]
    public void Options_are_checked_with_every_error_named()
    {
        var validator = new OrleansConfigServiceEndpointProviderOptionsValidator();
        var result = validator.Validate(null, new OrleansConfigServiceEndpointProviderOptions
        {
            DefaultNamespace = "Not_A_Label",
            FirstSyncTimeout = TimeSpan.Zero,
            SourcePriority = ["file", "", "file"],
        });

        Assert.True(result.Failed);
        Assert.Equal(4, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("DefaultNamespace: ", StringComparison.Ordinal));
        Assert.Contains("FirstSyncTimeout: must be positive, got 00:00:00", result.Failures!);
        Assert.Contains("SourcePriority[1]: must not be empty", result.Failures!);
        Assert.Contains("SourcePriority[2]: duplicate source \"file\"", result.Failures!);
    }

    [Fact]
    public void Bad_options_fail_when_read()
    {
        var services = new ServiceCollection();
        services.AddOrleansConfigServiceEndpointProvider(o => o.FirstSyncTimeout = TimeSpan.FromSeconds(-1));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<OrleansConfigServiceEndpointProviderOptions>>();
        var error = Assert.Throws<OptionsValidationException>(() => options.Value);

        Assert.Contains("FirstSyncTimeout: must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_Orleans_client_resolution_says_what_to_register()
    {
        var services = new ServiceCollection();
        services.AddServiceDiscoveryCore();
        services.AddOrleansConfigServiceEndpointProvider();
        await using var provider = services.BuildServiceProvider();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            async () => await provider.GetRequiredService<ServiceEndpointResolver>()
                .GetEndpointsAsync("http://web", CancellationToken.None));

        Assert.Equal(
            "AddOrleansConfigServiceEndpointProvider needs an Orleans client: UseOrleansClient(c => c.AddOrleansConfigClient())",
            error.Message);
    }

    private async Task<string[]> Resolve(string name)
    {
        var source = await _resolver.GetEndpointsAsync(name, CancellationToken.None);
        return [.. source.Endpoints.Select(e => e.EndPoint switch
        {
            UriEndPoint uri => uri.Uri.ToString(),
            _ => e.EndPoint.ToString()!,
        })];
    }

    private static Dictionary<string, IReadOnlyList<string>> Ready(params (string Port, string[] Addresses)[] ports) =>
        ports.ToDictionary(p => p.Port, p => (IReadOnlyList<string>)p.Addresses);
}
