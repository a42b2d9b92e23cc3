using System.Text.Json;
using System.Text.Json.Nodes;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>One tab of <see cref="Chromium"/>, driven through its DevTools session.</summary>
internal sealed class BrowserPage(CdpClient cdp, string sessionId)
{
    public async Task NavigateAsync(string url, TimeSpan timeout)
    {
        await cdp.SendAsync("Page.navigate", new JsonObject { ["url"] = url }, sessionId);
        await WaitForAsync("document.readyState === 'complete'", timeout, $"{url} to load");
    }

    /// <summary>The value of a JavaScript expression (awaited when it is a promise), as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await cdp.SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        }, sessionId);
        if (result.TryGetProperty("exceptionDetails", out var exception))
        {
            throw new InvalidOperationException($"page script failed: {exception}");
        }
        return result.GetProperty("result").TryGetProperty("value", out var value) ? value.Clone() : default;
    }

    /// <summary>Polls a JavaScript condition until it is true, or throws naming <paramref name="what"/>.</summary>
    public Task WaitForAsync(string condition, TimeSpan timeout, string what) =>
        Eventually.Get(
            async () => await EvaluateAsync($"!!({condition})"),
            value => value.ValueKind == JsonValueKind.True,
            timeout,
            what);

    public Task SetViewportAsync(int width, int height) =>
        cdp.SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
        {
            ["width"] = width,
            ["height"] = height,
            ["deviceScaleFactor"] = 1,
            ["mobile"] = false,
        }, sessionId);

    /// <summary>Saves the whole page (not only the viewport) as a PNG.</summary>
    public async Task ScreenshotAsync(string path, int width)
    {
        var height = (await EvaluateAsync("Math.ceil(document.documentElement.scrollHeight)")).GetInt32();
        await SetViewportAsync(width, Math.Clamp(height, 300, 8000));
        var shot =
            await cdp.SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true },
            sessionId);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String(shot.GetProperty("data").GetString()!));
    }
}
