using System.Net.Http.Headers;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>
/// An HTTP silo with a bearer token (<c>OrleansConfig:Http:TokenFile</c>), the dashboard, and room for only
/// <see cref="MaxEventStreams"/> event streams. <see cref="HttpSilo.Http"/> sends no token; <see cref="Authorized"/> does.
/// </summary>
public sealed class GuardedHttpSilo : HttpSilo
{
    public const int MaxEventStreams = 2;

    public GuardedHttpSilo()
        : this(Path.Combine(Directory.CreateTempSubdirectory("orleans-config-token-").FullName, "token"))
    {
    }

    private GuardedHttpSilo(string tokenFile)
        : base([$"--OrleansConfig:Http:TokenFile={tokenFile}", "--OrleansConfig:Dashboard=true",
            $"--OrleansConfig:Http:MaxEventStreamClients={MaxEventStreams}"])
    {
        TokenFile = tokenFile;
        // Written with surrounding whitespace, as an editor or `echo` leaves it: the silo trims it.
        File.WriteAllText(tokenFile, $"  {Token}\n");
        Authorized = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = RequestTimeout };
        Authorized.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public string Token { get; } = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());

    public string TokenFile { get; }

    public HttpClient Authorized { get; }

    public override async Task DisposeAsync()
    {
        Authorized.Dispose();
        await base.DisposeAsync();
        Directory.Delete(Path.GetDirectoryName(TokenFile)!, recursive: true);
    }
}
