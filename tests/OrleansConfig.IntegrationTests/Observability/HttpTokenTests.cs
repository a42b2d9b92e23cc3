using System.Net;
using System.Net.Http.Headers;
using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>A silo with <c>OrleansConfig:Http:TokenFile</c>: every path but the probes needs the bearer token.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class HttpTokenTests(GuardedHttpSilo silo) : IClassFixture<GuardedHttpSilo>
{
    public static readonly TheoryData<string> GuardedPaths =
        ["/", "/status.css", "/status.js", "/api/services", "/api/endpoints", "/api/sources", "/api/events", "/metrics", "/dashboard/"];

    private static async Task<HttpResponseMessage> Get(HttpClient http, string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        // Headers only: /api/events streams for as long as it is read.
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    }

    [Theory]
    [MemberData(nameof(GuardedPaths))]
    public async Task Without_a_token_a_guarded_path_answers_401_asking_for_a_bearer_token(string path)
    {
        using var response = await Get(silo.Http, path);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", Assert.Single(response.Headers.WwwAuthenticate).Scheme);
    }

    [Theory]
    [MemberData(nameof(GuardedPaths))]
    public async Task A_wrong_token_answers_401(string path)
    {
        using var response = await Get(silo.Http, path, silo.Token + "x");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [MemberData(nameof(GuardedPaths))]
    public async Task The_right_token_opens_a_guarded_path(string path)
    {
        using var response = await Get(silo.Authorized, path);

        // The body only when refused: /api/events does not end.
        if (response.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    public async Task Health_and_readiness_stay_open_without_a_token(string path)
    {
        using var response = await silo.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_browser_opening_the_page_without_the_token_is_given_the_self_contained_token_page()
    {
        using var response = await silo.Http.GetAsync("/");
        var page = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("id=\"token-form\"", page);
        Assert.Contains("sessionStorage", page);
        Assert.DoesNotContain("http://", page);
        Assert.DoesNotContain("https://", page);
        Assert.DoesNotContain("class=\"bar\"", page);
    }

    [Fact]
    public async Task Event_streams_beyond_MaxEventStreamClients_answer_503_until_one_closes()
    {
        List<HttpResponseMessage> open = [];
        try
        {
            // Streams of earlier tests may still be counted until the silo notices they closed.
            for (var i = 0; i < GuardedHttpSilo.MaxEventStreams; i++) open.Add(await OpenStream());

            using (var refused = await Get(silo.Authorized, "/api/events"))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                Assert.Equal(
                    $"too many event streams open (OrleansConfig:Http:MaxEventStreamClients is {GuardedHttpSilo.MaxEventStreams}); try " +
                        $"again later",
                    (await refused.Content.ReadAsStringAsync()).Trim());
                Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
            }

            open[0].Dispose();
            open.RemoveAt(0);
            open.Add(await OpenStream());
        }
        finally
        {
            foreach (var response in open) response.Dispose();
        }
    }

    private Task<HttpResponseMessage> OpenStream() =>
        Eventually.Get(
            async () =>
            {
                var response = await Get(silo.Authorized, "/api/events");
                if (response.StatusCode != HttpStatusCode.OK) response.Dispose();
                return response;
            },
            response => response.StatusCode == HttpStatusCode.OK,
            HttpSilo.RequestTimeout,
            "an event stream to be let in");
}
