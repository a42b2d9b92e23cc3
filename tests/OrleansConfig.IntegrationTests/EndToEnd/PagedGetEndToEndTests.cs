namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>A silo that sends two items a page: the CLI's <c>get</c> still lists the whole union.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class PagedGetEndToEndTests
{
    [Fact]
    public async Task Get_reads_a_union_of_many_pages_whole()
    {
        await using var silo = new SiloProcess { ExtraArgs = ["--OrleansConfig:Snapshots:MaxPageItems=2"] };
        await silo.InitializeAsync();

        var services = await silo.Cli("get", "services", "-o", "json");
        var endpoints = await silo.Cli("get", "endpoints", "-o", "json");

        Assert.True(services.ExitCode == 0, services.ToString());
        Assert.True(endpoints.ExitCode == 0, endpoints.ToString());
        Assert.Equal(
            ["Service default/db@file", "Service default/web@file", "Service shop/cart@file", "Service shop/frontend@file",
                "Service shop/payments@file"],
            ListJson.Items(services.Stdout));
        Assert.Equal(
            ["Endpoints default/db@file", "Endpoints default/web@file", "Endpoints shop/cart@file", "Endpoints shop/frontend@file"],
            ListJson.Items(endpoints.Stdout));
    }
}
