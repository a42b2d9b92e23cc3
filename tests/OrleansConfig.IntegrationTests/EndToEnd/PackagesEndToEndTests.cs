using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using OrleansConfig.IntegrationTests.Infrastructure;

namespace OrleansConfig.IntegrationTests.EndToEnd;

/// <summary>
/// The NuGet packages and the .NET tool as a new user gets them: packed once (slow: a few minutes), then a fresh
/// console project that references only those packages and NuGet builds and runs against a silo process, and the tool
/// installs from the same folder and talks to that silo.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "Packages")]
public sealed partial class PackagesEndToEndTests(SiloProcess silo, PackedPackages packed)
    : IClassFixture<SiloProcess>, IClassFixture<PackedPackages>
{
    private static readonly string[] Libraries =
    [
        "OrleansConfig.Abstractions", "OrleansConfig.Client", "OrleansConfig.Grains", "OrleansConfig.Proxy", "OrleansConfig.ServiceDiscovery",
        "OrleansConfig.Sources", "OrleansConfig.Yarp",
    ];

    [Fact]
    public void Every_src_project_and_the_cli_is_a_package_of_one_version_and_nothing_else_is()
    {
        // A project's package id is its file name (the CLI's assembly is orleans-config, its package OrleansConfig.Cli).
        var expected = PackedPackages.PackableProjects().Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);

        Assert.Equal(expected, packed.Ids);
        Assert.Superset(new HashSet<string>(Libraries.Append("OrleansConfig.Cli")), new HashSet<string>(packed.Ids));
        Assert.DoesNotContain(packed.Ids, id => id.Contains("Test", StringComparison.Ordinal) || id.Contains("Silo", StringComparison.Ordinal)
            || id.Contains("Benchmark", StringComparison.Ordinal) || id.Contains("WatchUnion", StringComparison.Ordinal));
        foreach (var id in packed.Ids) Assert.True(File.Exists(packed.Package(id)), $"{id} {packed.Version}");
    }

    [Fact]
    public void Each_library_package_has_its_docs_readme_licence_metadata_and_symbols()
    {
        foreach (var id in packed.Ids.Where(i => i != "OrleansConfig.Cli"))
        {
            using var package = ZipFile.OpenRead(packed.Package(id));
            var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains($"lib/net10.0/{id}.dll", entries);
            Assert.Contains($"lib/net10.0/{id}.xml", entries);
            Assert.Contains("README.md", entries);
            Assert.Contains("LICENSE", entries);

            var nuspec = Nuspec(package);
            Assert.Equal(id, nuspec("id"));
            Assert.Equal(packed.Version, nuspec("version"));
            Assert.Equal("OrleansConfig contributors", nuspec("authors"));
            Assert.Equal("MIT", nuspec("license"));
            Assert.Equal("README.md", nuspec("readme"));
            Assert.False(string.IsNullOrWhiteSpace(nuspec("description")), id);
            Assert.DoesNotContain("Package Description", nuspec("description"), StringComparison.Ordinal);
            Assert.Contains("orleans", nuspec("tags"), StringComparison.Ordinal);

            // The readme is shown on its own by a package gallery: no links relative to the repository.
            using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
            Assert.DoesNotMatch(RelativeLink(), readme.ReadToEnd());

            Assert.True(File.Exists(Path.ChangeExtension(packed.Package(id), ".snupkg")), $"{id}: no symbols package");
        }
    }

    [Fact]
    public void The_cli_package_is_a_dotnet_tool_named_orleans_config()
    {
        using var package = ZipFile.OpenRead(packed.Package("OrleansConfig.Cli"));
        var entries = package.Entries.Select(e => e.FullName).ToList();

        Assert.Contains("tools/net10.0/any/DotnetToolSettings.xml", entries);
        Assert.Contains("tools/net10.0/any/orleans-config.dll", entries);
        using var settings = package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!.Open();
        var command = XDocument.Load(settings).Descendants("Command").Single();
        Assert.Equal("orleans-config", command.Attribute("Name")?.Value);
        Assert.Equal("DotnetTool", Nuspec(package)("packageType"));
    }

    [Fact]
    public async Task A_program_built_only_from_the_packages_writes_a_service_and_reads_the_union_back()
    {
        var project = await ConsumerProject("consumer", ["OrleansConfig.Client"], """"
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;
            using OrleansConfig;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(client => client.AddOrleansConfigClient());
            using var host = builder.Build();
            await host.StartAsync();

            var cluster = host.Services.GetRequiredService<IClusterClient>();
            await using var services = new ServiceConfig(cluster);
            var written = new TaskCompletionSource<IReadOnlyList<Service>>(TaskCreationOptions.RunContinuationsAsynchronously);
            services.RegisterHandler(union =>
            {
                if (union.Any(s => s.Source() == "consumer")) written.TrySetResult(union);
                return Task.CompletedTask;
            });

            var manifest = Manifest.Parse("""
                apiVersion: v1
                kind: Service
                metadata: { name: packaged, namespace: nuget }
                spec: { ports: [ { name: http, port: 8080 } ] }
                """);
            await services.Channel("consumer").WriteAsync(new ServiceUpdate(Operation.Add, manifest.Services));

            foreach (var service in await written.Task.WaitAsync(TimeSpan.FromSeconds(60)))
            {
                Console.WriteLine($"{service.Key()} from {service.Source()}: {string.Join(",", service.Spec.Ports.Select(p => p.Port))}");
            }
            await host.StopAsync();
            """");

        var dll = await Build(project, "Consumer", ["OrleansConfig.Abstractions.dll", "OrleansConfig.Client.dll"]);
        var run = await PackedPackages.RunAsync(project, "dotnet", [dll],
            new Dictionary<string, string> { ["ORLEANS_CONFIG_GATEWAY"] = silo.Gateway }, TimeSpan.FromSeconds(120));

        Assert.True(run.ExitCode == 0, run.ToString());
        var printed = run.Stdout.Replace("\r", "", StringComparison.Ordinal);
        Assert.Contains("default/web from file: 80\n", printed, StringComparison.Ordinal);
        Assert.Contains("nuget/packaged from consumer: 8080\n", printed, StringComparison.Ordinal);

        // The silo keeps what the program wrote: the CLI built from the repository sees it.
        var get = await silo.Cli("get", "services", "-n", "nuget", "--source", "consumer", "-o", "name");
        Assert.True(get.ExitCode == 0, get.ToString());
        Assert.Equal("service/nuget/packaged@consumer", get.Stdout.Trim());
    }

    [Fact]
    public async Task An_httpclient_built_only_from_the_service_discovery_package_resolves_a_service_and_follows_its_change()
    {
        await using var backends = await HttpBackends.StartAsync(2);
        int first = backends.Ports[0], second = backends.Ports[1];
        using var folder = new TempFolder("orleans-config-discovery-");
        var manifest = Path.Combine(folder.Path, "echo.yaml");
        await File.WriteAllTextAsync(manifest, Echo(first));
        var apply = await silo.Cli("replace", "--source", "packaged", "-f", manifest);
        Assert.True(apply.ExitCode == 0, apply.ToString());

        var project = await ConsumerProject("discovery", ["OrleansConfig.ServiceDiscovery"], """
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;
            using Microsoft.Extensions.Logging;
            using OrleansConfig;

            var builder = Host.CreateApplicationBuilder(args);
            builder.Logging.ClearProviders();
            builder.UseOrleansClient(client => client.AddOrleansConfigClient());
            builder.Services.AddServiceDiscoveryCore();
            builder.Services.AddOrleansConfigServiceEndpointProvider();
            builder.Services.AddHttpClient("echo").AddServiceDiscovery();
            using var host = builder.Build();
            await host.StartAsync();

            // Prints each answer that differs from the last, until the second backend answers (or a minute passes).
            var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("echo");
            string? last = null;
            var deadline = DateTime.UtcNow.AddMinutes(1);
            while (DateTime.UtcNow < deadline)
            {
                string answer;
                try { answer = await http.GetStringAsync("http://echo.nuget/hello"); }
                catch (Exception e) { answer = $"error {e.GetType().Name}: {e.Message}"; }
                if (answer != last) Console.WriteLine($"answer: {answer}");
                last = answer;
                if (args.Length > 0 && answer.StartsWith(args[0] + " ", StringComparison.Ordinal)) break;
                await Task.Delay(50);
            }
            await host.StopAsync();
            """);
        var dll = await Build(project, "Discovery", ["OrleansConfig.Abstractions.dll", "OrleansConfig.Client.dll", "OrleansConfig.ServiceDiscovery.dll"]);

        using var consumer = ChildProcess.Start(dll, [second.ToString(CultureInfo.InvariantCulture)],
            environment: new Dictionary<string, string> { ["ORLEANS_CONFIG_GATEWAY"] = silo.Gateway });
        var answer = await consumer.ReadLineUntilAsync(l => l.StartsWith("answer: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal($"answer: {first} /hello", answer);

        // The endpoint moves to the other backend through the source; the running program follows without a restart.
        await File.WriteAllTextAsync(manifest, Echo(second));
        var replace = await silo.Cli("replace", "--source", "packaged", "-f", manifest);
        Assert.True(replace.ExitCode == 0, replace.ToString());
        var next = await consumer.ReadLineUntilAsync(l => l.StartsWith("answer: ", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
        Assert.Equal($"answer: {second} /hello", next);
        Assert.True(await consumer.WaitForExitAsync(TimeSpan.FromSeconds(30)), consumer.Stderr);
        Assert.True(consumer.ExitCode == 0, consumer.Stderr);
    }

    private static string Echo(int port) => $$"""
        apiVersion: v1
        kind: Service
        metadata: { name: echo, namespace: nuget }
        spec: { ports: [ { name: http, port: 80, targetPort: {{port}} } ] }
        ---
        apiVersion: v1
        kind: Endpoints
        metadata: { name: echo, namespace: nuget }
        subsets: [ { addresses: [ { ip: 127.0.0.1 } ], ports: [ { name: http, port: {{port}} } ] } ]
        """;

    /// <summary>
    /// A fresh console project in the packages' folder that references only <paramref name="packages"/> (from the packed
    /// feed) and Microsoft.Extensions.Hosting (from NuGet), with <paramref name="program"/> as its Program.cs.
    /// </summary>
    private async Task<string> ConsumerProject(string name, string[] packages, string program)
    {
        var project = Directory.CreateDirectory(Path.Combine(packed.Root, name)).FullName;
        // Nothing of the repository's build reaches it: empty build files stop MSBuild looking further up.
        foreach (var file in new[] { "Directory.Build.props", "Directory.Build.targets", "Directory.Packages.props" })
        {
            await File.WriteAllTextAsync(Path.Combine(project, file), "<Project />\n");
        }
        // The packages' folder beside the machine's own NuGet sources (inherited from the user's NuGet.Config).
        await File.WriteAllTextAsync(Path.Combine(project, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="orleans-config-packed" value="{packed.Feed}" />
              </packageSources>
            </configuration>
            """);
        var references = string.Concat(packages.Select(p => $"""

                <PackageReference Include="{p}" Version="{packed.Version}" />
            """));
        var assembly = char.ToUpperInvariant(name[0]) + name[1..];
        await File.WriteAllTextAsync(Path.Combine(project, $"{assembly}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>{references}
                <PackageReference Include="Microsoft.Extensions.Hosting" Version="{RepositoryPackageVersion("Microsoft.Extensions.Hosting")}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(project, "Program.cs"), program);
        return project;
    }

    /// <summary>Builds a consumer project without warnings; returns its dll after checking which of ours it carries.</summary>
    private static async Task<string> Build(string project, string assembly, string[] ours)
    {
        var build = await PackedPackages.RunAsync(project, "dotnet", ["build", "-c", "Release", "--disable-build-servers", "-nologo"]);
        Assert.True(build.ExitCode == 0, build.ToString());
        Assert.Contains(" 0 Warning(s)", build.Stdout, StringComparison.Ordinal);
        var output = Path.Combine(project, "bin", "Release", "net10.0");
        var references = Directory.EnumerateFiles(output, "OrleansConfig.*.dll").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Equal(ours, references);
        return Path.Combine(output, $"{assembly}.dll");
    }

    [Fact]
    public async Task The_tool_installs_from_the_packages_and_gets_the_services_from_the_silo()
    {
        var tools = Path.Combine(packed.Root, "tools");
        var install = await PackedPackages.RunAsync(packed.Root, "dotnet",
            ["tool", "install", "OrleansConfig.Cli", "--tool-path", tools, "--add-source", packed.Feed, "--version", packed.Version]);
        Assert.True(install.ExitCode == 0, install.ToString());

        // The tool's launcher finds the runtime the tests run on.
        var environment = new Dictionary<string, string>();
        if (Path.GetDirectoryName(BuiltApps.DotnetHost) is { Length: > 0 } dotnetRoot) environment["DOTNET_ROOT"] = dotnetRoot;
        var get = await PackedPackages.RunAsync(packed.Root, Path.Combine(tools, "orleans-config"),
            ["get", "services", "--gateway", silo.Gateway], environment, Cli.Timeout);

        Assert.True(get.ExitCode == 0, get.ToString());
        var lines = get.Stdout.Replace("\r", "", StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAMESPACE", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => Columns(l) is ["default", "web", "file", ..]);
        Assert.Contains(lines, l => Columns(l) is ["shop", "frontend", "file", ..]);

        var version = await PackedPackages.RunAsync(packed.Root, Path.Combine(tools, "orleans-config"), ["--version"], environment, Cli.Timeout);
        Assert.True(version.ExitCode == 0, version.ToString());
        Assert.StartsWith(packed.Version, version.Stdout.Trim(), StringComparison.Ordinal);
    }

    private static string[] Columns(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static Func<string, string> Nuspec(ZipArchive package)
    {
        using var stream = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var document = XDocument.Load(stream);
        return name => name == "packageType"
            ? document.Descendants().Single(e => e.Name.LocalName == "packageType").Attribute("name")?.Value ?? ""
            : document.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? "";
    }

    private static string RepositoryPackageVersion(string id)
    {
        var props = XDocument.Load(Path.Combine(BuiltApps.RepoRoot, "Directory.Packages.props"));
        return props.Descendants("PackageVersion").Single(e => e.Attribute("Include")?.Value == id).Attribute("Version")!.Value;
    }

    // A markdown link or image whose target is not an absolute URL or an anchor.
    [GeneratedRegex(@"\]\((?!https?://|#)[^)]*\)")]
    private static partial Regex RelativeLink();
}
