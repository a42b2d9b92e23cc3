using OrleansConfig.Sources.Api;
using Xunit;

namespace OrleansConfig.Tests.Sources.Api;

public sealed class ApiSourceOptionsValidatorTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("orleans-config-api-options-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static List<string> Check(ApiSourceOptions options) => ApiSourceOptionsValidator.Check(options);

    private string WriteFile(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("https://10.0.0.1:6443")]
    [InlineData("https://api.example.com/prefix/")]
    public void A_server_url_alone_is_valid(string server)
    {
        Assert.Empty(Check(new ApiSourceOptions { Server = server }));
    }

    [Fact]
    public void Each_bad_setting_is_named_with_its_key()
    {
        var errors = Check(new ApiSourceOptions
        {
            Server = "127.0.0.1:6443",
            Name = "Not A Name",
            ResyncPeriod = TimeSpan.FromSeconds(-1),
            CaFile = "/nonexistent/ca.pem",
            Context = "prod",
        });

        Assert.Equal(
        [
            "Sources:Api:Server: \"127.0.0.1:6443\" is not an http(s) URL",
            "Sources:Api:Name: \"Not A Name\" must consist of lower-case letters, digits, '-' and '.', and start and end with a letter " +
                "or digit",
            "Sources:Api:ResyncPeriod: must not be negative (zero: never), got -00:00:01",
            "Sources:Api:CaFile: file \"/nonexistent/ca.pem\" does not exist",
            "Sources:Api:Context: needs Sources:Api:KubeconfigPath",
        ], errors);
    }

    [Theory]
    [InlineData("EndpointSlices", true)]
    [InlineData("Endpoints", false)]
    [InlineData(" endpoints ", false)]
    public void Endpoints_are_read_from_slices_unless_endpoints_is_asked_for(string from, bool slices)
    {
        var options = new ApiSourceOptions { Server = "http://127.0.0.1:8080", EndpointsFrom = from };

        Assert.Empty(Check(options));
        Assert.Equal(slices, options.ReadsSlices);
        Assert.True(new ApiSourceOptions().ReadsSlices);
    }

    [Theory]
    [InlineData("EndpointSlice")]
    [InlineData("")]
    public void Another_endpoints_source_is_refused_naming_the_key(string from)
    {
        Assert.Equal([$"Sources:Api:EndpointsFrom: must be EndpointSlices or Endpoints, got \"{from}\""],
            Check(new ApiSourceOptions { Server = "http://127.0.0.1:8080", EndpointsFrom = from }));
    }

    [Fact]
    public void A_server_is_required_without_a_kubeconfig_or_the_in_cluster_account()
    {
        Assert.Equal(["Sources:Api:Server: is required unless Sources:Api:KubeconfigPath or Sources:Api:InCluster is set"],
            Check(new ApiSourceOptions()));
    }

    [Fact]
    public void A_ca_file_needs_https_and_a_certificate_in_it()
    {
        var notPem = WriteFile("ca.txt", "not a certificate");

        Assert.Equal(["Sources:Api:CaFile: needs an https Sources:Api:Server"],
            Check(new ApiSourceOptions { Server = "http://127.0.0.1:8080", CaFile = notPem }));
        var error = Assert.Single(Check(new ApiSourceOptions { Server = "https://127.0.0.1:6443", CaFile = notPem }));
        Assert.StartsWith("Sources:Api:CaFile: not a PEM certificate file: ", error);
    }

    [Fact]
    public void A_kubeconfig_is_read_at_validation_and_its_problems_named()
    {
        var good = WriteFile("good.yaml", Kubeconfig("https://10.1.2.3:6443"));
        var garbage = WriteFile("garbage.yaml", "{ this is not: [ a kubeconfig");

        Assert.Empty(Check(new ApiSourceOptions { KubeconfigPath = good }));
        Assert.Empty(Check(new ApiSourceOptions { KubeconfigPath = good, Context = "test" }));
        Assert.Single(Check(new ApiSourceOptions { KubeconfigPath = good, Context = "missing" }), e =>
            e.StartsWith("Sources:Api:KubeconfigPath: ", StringComparison.Ordinal));
        Assert.Single(Check(new ApiSourceOptions { KubeconfigPath = garbage }), e =>
            e.StartsWith("Sources:Api:KubeconfigPath: ", StringComparison.Ordinal));
        Assert.Equal(["Sources:Api:KubeconfigPath: file \"/nonexistent/config\" does not exist"],
            Check(new ApiSourceOptions { KubeconfigPath = "/nonexistent/config" }));
        Assert.Equal(["Sources:Api:KubeconfigPath: cannot be used with Sources:Api:InCluster"],
            Check(new ApiSourceOptions { KubeconfigPath = good, InCluster = true }));
    }

    [Fact]
    public void In_cluster_needs_a_pod()
    {
        // Tests do not run in a pod: no KUBERNETES_SERVICE_HOST, no service account token.
        Assert.Equal(
            ["Sources:Api:InCluster: not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST, KUBERNETES_SERVICE_PORT or the service " +
                "account token is missing)"],
            Check(new ApiSourceOptions { InCluster = true }));
    }

    [Fact]
    public void The_kubeconfig_settings_are_the_base_and_explicit_ones_override_them()
    {
        var path = WriteFile("config.yaml", Kubeconfig("https://10.1.2.3:6443"));

        var fromFile = ApiClientConfiguration.Build(new ApiSourceOptions { KubeconfigPath = path });
        Assert.Equal(("https://10.1.2.3:6443", "file-token"), (fromFile.Host, fromFile.AccessToken));

        var overridden =
            ApiClientConfiguration.Build(new ApiSourceOptions { KubeconfigPath = path, Server = "http://127.0.0.1:8080", Token = "mine" });
        Assert.Equal(("http://127.0.0.1:8080", "mine"), (overridden.Host, overridden.AccessToken));
    }

    private static string Kubeconfig(string server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: {server}
            insecure-skip-tls-verify: true
        users:
        - name: test
          user:
            token: file-token
        contexts:
        - name: test
          context:
            cluster: test
            user: test
        current-context: test
        """;
}
