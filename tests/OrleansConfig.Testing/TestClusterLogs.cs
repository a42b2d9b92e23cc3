using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Orleans.TestingHost.Logging;

namespace OrleansConfig.Testing;

/// <summary>
/// Where a TestCluster's silos and client write their log files: a temporary folder, not the working directory
/// (Orleans' TestingHost writes to <c>./logs</c>, which from the repository root ends up in the repository).
/// </summary>
public static class TestClusterLogs
{
    public static string Directory { get; } = Path.Combine(Path.GetTempPath(), "orleans-config-test-logs");

    public static void WriteToTemporaryFolder(TestClusterBuilder builder)
    {
        builder.Options.ConfigureFileLogging = false;
        builder.AddSiloBuilderConfigurator<SiloLogs>();
        builder.AddClientBuilderConfigurator<ClientLogs>();
    }

    private static string FileFor(string? clusterId, string node)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return Path.Combine(Directory, $"{clusterId}_{node}_{Guid.NewGuid():N}.log");
    }

    private sealed class SiloLogs : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) =>
            siloBuilder.Services.AddLogging(logging => logging.AddFile(FileFor(siloBuilder.Configuration["Orleans:ClusterId"], "silo")));
    }

    private sealed class ClientLogs : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Services.AddLogging(logging => logging.AddFile(FileFor(configuration["Orleans:ClusterId"], "client")));
    }
}
