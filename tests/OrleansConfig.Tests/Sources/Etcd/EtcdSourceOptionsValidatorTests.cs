using Xunit;

namespace OrleansConfig.Tests.Sources.Etcd;

public sealed class EtcdSourceOptionsValidatorTests
{
    private static List<string> Check(EtcdSourceOptions options) => EtcdSourceOptionsValidator.Check(options);

    [Fact]
    public void Defaults_with_endpoints_are_valid()
    {
        Assert.Empty(Check(new EtcdSourceOptions { Endpoints = "http://127.0.0.1:2379, http://10.0.0.2:2379" }));
    }

    [Fact]
    public void Each_bad_endpoint_is_named_with_its_key()
    {
        var errors = Check(new EtcdSourceOptions { Endpoints = "htp://x,http://ok:2379,127.0.0.1:2379" });

        Assert.Equal(
            ["Sources:Etcd:Endpoints: \"htp://x\" is not an http(s) URL",
                "Sources:Etcd:Endpoints: \"127.0.0.1:2379\" is not an http(s) URL"],
            errors);
    }

    [Fact]
    public void Endpoints_are_required()
    {
        Assert.Equal(["Sources:Etcd:Endpoints: is required (comma-separated http(s) URLs)"],
            Check(new EtcdSourceOptions { Endpoints = " , " }));
    }

    [Fact]
    public void Other_settings_name_their_keys()
    {
        var errors = Check(new EtcdSourceOptions
        {
            Endpoints = "http://a:2379,https://b:2379",
            Prefix = " ",
            Name = "",
            ResyncPeriod = TimeSpan.Zero,
            MaxResponseBytes = 1024 * 1024 - 1,
            Username = "root",
            CertFile = "/nonexistent/cert.pem",
        });

        Assert.Equal(
        [
            "Sources:Etcd:Endpoints: must all be http or all be https",
            "Sources:Etcd:Prefix: must not be empty",
            "Sources:Etcd:Name: must not be empty",
            "Sources:Etcd:ResyncPeriod: must be positive, got 00:00:00",
            "Sources:Etcd:MaxResponseBytes: must be at least 1048576 (1 MiB), got 1048575",
            "Sources:Etcd:Password: is required with Sources:Etcd:Username",
            "Sources:Etcd:KeyFile: is required with Sources:Etcd:CertFile",
            "Sources:Etcd:CertFile: file \"/nonexistent/cert.pem\" does not exist",
        ], errors);
    }

    [Fact]
    public void Tls_files_need_https_endpoints()
    {
        var ca = Path.GetTempFileName();
        try
        {
            Assert.Equal(["Sources:Etcd:CaFile: needs https endpoints"],
                Check(new EtcdSourceOptions { Endpoints = "http://a:2379", CaFile = ca }));
            Assert.Empty(Check(new EtcdSourceOptions { Endpoints = "https://a:2379", CaFile = ca }));
        }
        finally
        {
            File.Delete(ca);
        }
    }
}
