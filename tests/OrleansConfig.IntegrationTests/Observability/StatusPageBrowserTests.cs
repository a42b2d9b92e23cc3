using OrleansConfig.IntegrationTests.EndToEnd;
using Xunit.Abstractions;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>
/// The status page in headless Chromium against the real silo: it asks for the silo's token once, then follows the
/// union without a reload. A silo without a token serves it without asking.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class StatusPageBrowserTests(GuardedHttpSilo silo, HttpSilo openSilo, ITestOutputHelper output)
    : IClassFixture<GuardedHttpSilo>, IClassFixture<HttpSilo>
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(30);
    private const int Width = 1360;

    /// <summary>Opens the guarded silo's page and enters its token in the page's form.</summary>
    private async Task<(Chromium Browser, BrowserPage Page)> OpenStatusPage()
    {
        var browser = await Chromium.StartAsync();
        try
        {
            var page = await browser.OpenPageAsync();
            await page.SetViewportAsync(Width, 1000);
            await page.NavigateAsync(silo.BaseUrl + "/", PageTimeout);
            await EnterToken(page, silo.Token);
            await WaitForTheUnion(page);
            return (browser, page);
        }
        catch
        {
            output.WriteLine(browser.Output);
            await browser.DisposeAsync();
            throw;
        }
    }

    private static async Task EnterToken(BrowserPage page, string token)
    {
        await page.WaitForAsync("document.querySelector('#token-form')?.hidden === false", PageTimeout, "the page to ask for the token");
        await page.EvaluateAsync($$"""
            (() => {
              document.querySelector('#token').value = '{{token}}';
              document.querySelector('#token-form').requestSubmit();
            })()
            """);
    }

    /// <summary>The examples the file source serves, and the live stream.</summary>
    private static async Task WaitForTheUnion(BrowserPage page)
    {
        await page.WaitForAsync("document.querySelectorAll('#services tbody tr').length >= 5", PageTimeout,
            "the union's services in the table");
        await page.WaitForAsync("document.querySelector('#connection').classList.contains('live')", PageTimeout,
            "the event stream to be live");
        await page.WaitForAsync("document.querySelector('#sources tbody tr[data-name=\"file\"]') !== null", PageTimeout,
            "the file source in the sources table");
    }

    private async Task Apply(string source, string manifest)
    {
        var file = ManifestText.WriteTemp(manifest);
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

        await Apply("browser", ManifestText.ServiceAndEndpoints("live-web", "browser-test", "10.9.8.7", 8443));

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
    public async Task Terminating_addresses_are_marked_and_the_serving_ones_are_not_struck_through()
    {
        var (browser, page) = await OpenStatusPage();
        await using var _ = browser;

        await Apply("browser", """
            apiVersion: v1
            kind: Endpoints
            metadata:
              name: draining
              namespace: browser-test
              annotations:
                endpoints.orleans-config.io/conditions: '{"10.9.8.1":{"serving":true,"terminating":true},"10.9.8.2":{"terminating":true}}'
            subsets:
            - addresses: [{ip: 10.9.8.3}]
              notReadyAddresses: [{ip: 10.9.8.1}, {ip: 10.9.8.2}, {ip: 10.9.8.4}]
              ports: [{port: 8080}]
            """);

        const string row = "document.querySelector('#endpoints tr[data-key=\"browser-test/draining@browser\"]')";
        await page.WaitForAsync($"{row} !== null", PageTimeout, "the applied endpoints in the endpoints table");
        var spans = await page.EvaluateAsync(
            $"[...{row}.querySelectorAll('span.addr')].map(s => s.className + '|' + s.textContent).join('\\n')");

        Assert.Equal(
            """
            addr|10.9.8.3:8080
            addr terminating|10.9.8.1:8080 (terminating)
            addr not-ready|10.9.8.2:8080 (terminating)
            addr not-ready|10.9.8.4:8080
            """.ReplaceLineEndings("\n"),
            spans.GetString());
    }

    [Fact]
    public async Task The_page_asks_for_the_token_once_then_a_reload_opens_it_without_asking()
    {
        var (browser, page) = await OpenStatusPage();
        await using var _ = browser;
        Assert.Equal(silo.Token, (await page.EvaluateAsync("sessionStorage.getItem('orleans-config-token')")).GetString());

        await page.EvaluateAsync("window.__before = 'the first visit'");

        // Opened again in the same tab, as a reload does: the token page finds the token it kept and opens the page.
        await page.NavigateAsync(silo.BaseUrl + "/", PageTimeout);
        await page.WaitForAsync("window.__before === undefined", PageTimeout, "a new document");
        await WaitForTheUnion(page);
        Assert.True((await page.EvaluateAsync("document.querySelector('#token-form') === null")).GetBoolean());
    }

    [Fact]
    public async Task A_wrong_token_is_refused_in_the_page_and_asked_for_again()
    {
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenPageAsync();
        await page.NavigateAsync(silo.BaseUrl + "/", PageTimeout);

        await EnterToken(page, "not-the-token");

        await page.WaitForAsync("document.querySelector('#token-message').textContent === 'The silo refused that token.'", PageTimeout,
            "the refusal in the page");
        Assert.True(
            (await page.EvaluateAsync(
            "document.querySelector('#token-form').hidden === false && sessionStorage.getItem('orleans-config-token') === null"))
            .GetBoolean());
        await EnterToken(page, silo.Token);
        await WaitForTheUnion(page);
    }

    [Fact]
    public async Task Without_a_token_file_the_page_opens_without_asking()
    {
        await using var browser = await Chromium.StartAsync();
        var page = await browser.OpenPageAsync();

        await page.NavigateAsync(openSilo.BaseUrl + "/", PageTimeout);

        await WaitForTheUnion(page);
        Assert.True((await page.EvaluateAsync("document.querySelector('#token-form') === null")).GetBoolean());
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
        var endpoints =
            (await page.EvaluateAsync("[...document.querySelectorAll('#endpoints tbody tr')].map(r => r.dataset.key).join(',')"))
            .GetString();
        Assert.Equal(3, services);
        Assert.Equal("shop/cart@file,shop/frontend@file", endpoints);
        Assert.StartsWith("3 of ", (await page.EvaluateAsync("document.querySelector('#services-shown').textContent")).GetString());
    }

    [Fact]
    public async Task The_open_page_applies_an_add_an_update_and_a_remove_without_a_reload()
    {
        var (browser, page) = await OpenStatusPage();
        await using var _ = browser;
        await page.EvaluateAsync("window.__openedOnce = 'still the same page'");
        const string row = "document.querySelector('#services tr[data-key=\"browser-test/changing@changes\"]')";

        await Apply("changes", ManifestText.Service("changing", "browser-test", port: 8081));
        await page.WaitForAsync($"{row}?.children[5].textContent === '8081/TCP'", PageTimeout, "the added service");

        await Apply("changes", ManifestText.Service("changing", "browser-test", port: 9091));
        await page.WaitForAsync($"{row}?.children[5].textContent === '9091/TCP'", PageTimeout, "the updated service");

        var deleted = await silo.Cli("delete", "--source", "changes", "service", "browser-test/changing");
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        await page.WaitForAsync($"{row} === null", PageTimeout, "the removed service to leave the table");

        Assert.Equal("still the same page", (await page.EvaluateAsync("window.__openedOnce")).GetString());
    }

    [Fact]
    public async Task With_2500_services_the_table_shows_a_page_of_100_and_the_filter_finds_one_beyond_it()
    {
        var (browser, page) = await OpenStatusPage();
        await using var _ = browser;
        var before = int.Parse((await page.EvaluateAsync("document.querySelector('#service-count').textContent")).GetString()!,
            System.Globalization.NumberStyles.AllowThousands, System.Globalization.CultureInfo.InvariantCulture);

        await Apply("bulk", ManifestText.Join([.. Enumerable.Range(0, 2500).Select(i => ManifestText.Service($"svc-{i:D4}", "bulk-test"))]));

        var total = (before + 2500).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        await page.WaitForAsync($"document.querySelector('#services-range').textContent === '1–100 of {total}'", PageTimeout,
            "the pager to count every service");
        Assert.Equal(100, (await page.EvaluateAsync("document.querySelectorAll('#services tbody tr').length")).GetInt32());
        Assert.Equal(total, (await page.EvaluateAsync("document.querySelector('#service-count').textContent")).GetString());

        await page.EvaluateAsync("document.querySelector('#services-next').click()");
        await page.WaitForAsync($"document.querySelector('#services-range').textContent === '101–200 of {total}'", PageTimeout,
            "the second page");
        Assert.Equal(100, (await page.EvaluateAsync("document.querySelectorAll('#services tbody tr').length")).GetInt32());

        await page.EvaluateAsync("""
            (() => {
              const box = document.querySelector('#filter');
              box.value = 'svc-2345';
              box.dispatchEvent(new Event('input', { bubbles: true }));
            })()
            """);
        await page.WaitForAsync(
            "[...document.querySelectorAll('#services tbody tr')].map(r => r.dataset.key).join(',') === 'bulk-test/svc-2345@bulk'",
            PageTimeout, "the filter to find the one service far beyond the first page");
        Assert.True((await page.EvaluateAsync("document.querySelector('#services-pager').hidden")).GetBoolean());
        Assert.Equal($"1 of {total} shown", (await page.EvaluateAsync("document.querySelector('#services-shown').textContent")).GetString());
    }
}
