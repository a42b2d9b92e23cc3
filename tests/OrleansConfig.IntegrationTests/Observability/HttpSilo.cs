using OrleansConfig.IntegrationTests.EndToEnd;

namespace OrleansConfig.IntegrationTests.Observability;

/// <summary>The real silo process serving HTTP on a free loopback port (<c>--urls</c>), its file source synced.</summary>
public class HttpSilo : IAsyncLifetime
{
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    // Source "guarded" refuses a Set that removes over 10% of it, so a test can see the grain itself refuse an update.
    public HttpSilo()
        : this([$"--OrleansConfig:DeletionGuard:Sources:{GuardedSource}=10", "--OrleansConfig:DeletionGuard:MinItems=1"])
    {
    }

    /// <param name="moreArgs">Settings a derived fixture adds to the silo's.</param>
    protected HttpSilo(IEnumerable<string> moreArgs)
    {
        BaseUrl = $"http://127.0.0.1:{FreePorts.Take(1)[0]}";
        Process = new SiloProcess { ExtraArgs = ["--urls", BaseUrl, .. moreArgs] };
        Http = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = RequestTimeout };
    }

    public const string GuardedSource = "guarded";

    public string BaseUrl { get; }

    public SiloProcess Process { get; }

    public HttpClient Http { get; }

    public Task<CliResult> Cli(params string[] args) => Process.Cli(args);

    public virtual Task InitializeAsync() => Process.InitializeAsync();

    public virtual async Task DisposeAsync()
    {
        Http.Dispose();
        await Process.DisposeAsync();
    }
}
