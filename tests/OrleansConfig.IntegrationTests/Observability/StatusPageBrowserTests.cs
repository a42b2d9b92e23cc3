using OrleansConfig.IntegrationTests.EndToEnd;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>The status page in headless Chromium against the real silo: it follows the union without a reload.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class StatusPageBrowserTests(HttpSilo silo, ITestOutputHelper output) : IClassFixture<HttpSilo>
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(30);
    private const int Width = 1360;

    private async Task<(Chromium Browser, BrowserPage Page)> OpenStatusPage()
    {
        var browser = await Chromium.StartAsync();
        try
        {
            var page = await browser.OpenPageAsync();
            await page.SetViewportAsync(Width, 1000);
            await page.NavigateAsync(silo.BaseUrl + "/", PageTimeout);
            // The examples the file source serves, and the live stream.
            await page.WaitForAsync("document.querySelectorAll('#services tbody tr').length >= 5", PageTimeout, "the union's services in the table");
            await page.WaitForAsync("document.querySelector('#connection').classList.contains('live')", PageTimeout, "the event stream to be live");
            await page.WaitForAsync("document.querySelector('#sources tbody tr[data-name=\"file\"]') !== null", PageTimeout, "the file source in the sources table");
            return (browser, page);
        }
        catch
        {
            output.WriteLine(browser.Output);
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task Apply(string source, string manifest)
    {
        var file = Manifests.WriteTemp(manifest);
        try
        {
            var result = await silo.Cli("apply", "--source", source, "-f", file);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_service_applied_with_the_cli_appears_on_the_open_page_without_a_reload()
    {
        var (browser, page) = await OpenStatusPage();
        await using var _ = browser;
        // A reload would start a new document and lose this.
        await page.EvaluateAsync("window.__openedOnce = 'still the same page'");

        await Apply("browser", Manifests.ServiceAndEndpoints("live-web", "browser-test", "10.9.8.7", 8443));

        await page.WaitForAsync(
            "document.querySelector('#services tr[data-key=\"browser-test/live-web@browser\"]') !== null",
            PageTimeout, "the applied service in the services table");
        await page.WaitForAsync(
            "document.querySelector('#endpoints tr[data-key=\"browser-test/live-web@browser\"]')?.textContent.includes('10.9.8.7:8080')",
            PageTimeout, "its endpoints in the endpoints table");
        await page.WaitForAsync(
            "document.querySelector('#sources tr[data-name=\"browser\"]')?.children[1].textContent === '1'",
            PageTimeout, "the new source, with its one service, in the sources table");
        Assert.Equal("still the same page", (await page.EvaluateAsync("window.__openedOnce")).GetString());
        Assert.Equal("8443/TCP", (await page.EvaluateAsync(
            "document.querySelector('#services tr[data-key=\"browser-test/live-web@browser\"]').children[5].textContent")).GetString());

        var screenshot = Path.Combine(Directory.CreateTempSubdirectory("orleans-config-status-page-").FullName, "status-page.png");
        await page.ScreenshotAsync(screenshot, Width);
        output.WriteLine($"screenshot: {screenshot}");
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"{screenshot} is too small to show the page");
    }

    [Fact]
    public async Task The_filter_box_narrows_both_tables()
    {
        var (browser, page) = await OpenStatusPage();
        await using var _ = browser;

        await page.EvaluateAsync("""
            (() => {
              const box = document.querySelector('#filter');
              box.value = 'shop';
              box.dispatchEvent(new Event('input', { bubbles: true }));
            })()
            """);

        await page.WaitForAsync(
            "[...document.querySelectorAll('#services tbody tr')].every(r => r.dataset.key.startsWith('shop/'))",
            PageTimeout, "only shop services");
        var services = (await page.EvaluateAsync("document.querySelectorAll('#services tbody tr').length")).GetInt32();
        var endpoints = (await page.EvaluateAsync("[...document.querySelectorAll('#endpoints tbody tr')].map(r => r.dataset.key).join(',')")).GetString();
        Assert.Equal(3, services);
        Assert.Equal("shop/cart@file,shop/frontend@file", endpoints);
        Assert.StartsWith("3 of ", (await page.EvaluateAsync("document.querySelector('#services-shown').textContent")).GetString());
    }
}
