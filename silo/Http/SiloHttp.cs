using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using Orleans.Dashboard;
using OrleansConfig.Diagnostics;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// The silo's optional HTTP side. Given urls to serve (<c>--urls</c>, the <c>urls</c> setting or
/// <c>ASPNETCORE_URLS</c>, as ASP.NET reads them) the silo is an ASP.NET web host serving health, readiness, the API,
/// Prometheus metrics and the status page (all but the probes behind a bearer token when one is set); otherwise it is
/// the plain host it always was, with no HTTP at all. ASP.NET, OpenTelemetry and the dashboard are only touched in
/// methods the plain silo never runs (kept out of line), so without HTTP their assemblies are not even loaded.
/// </summary>
internal static class SiloHttp
{
    /// <summary>Adds the Orleans dashboard to the silo, served at <c>/dashboard</c> when the silo serves HTTP.</summary>
    public const string DashboardKey = "OrleansConfig:Dashboard";

    public const string DashboardPath = "/dashboard";

    /// <summary>Orleans' own meter, exported beside ours.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>ASP.NET's own key (<c>WebHostDefaults.ServerUrlsKey</c>), which <c>--urls</c> sets.</summary>
    private const string UrlsKey = "urls";

    public static IHostApplicationBuilder CreateBuilder(string[] args, string contentRoot)
    {
        var plain = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = contentRoot });
        if (!Serves(plain.Configuration)) return plain;

        // ASP.NET's builder reads the same settings again (and ASPNETCORE_ variables besides).
        ((IDisposable)plain.Configuration).Dispose();
        return CreateWebBuilder(args, contentRoot);
    }

    /// <summary>True when the settings name urls to serve.</summary>
    public static bool Serves(IConfiguration configuration) =>
        !string.IsNullOrWhiteSpace(configuration[UrlsKey])
        || !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ASPNETCORE_URLS"));

    /// <summary>The silo's part of the dashboard: it collects for the dashboard of any silo that serves it.</summary>
    public static void ConfigureSilo(ISiloBuilder silo, IConfiguration configuration)
    {
        if (configuration.GetValue<bool>(DashboardKey)) AddDashboard(silo);
    }

    /// <summary>Registers the HTTP side's services; call after <c>UseOrleans</c> so the feed starts after the silo.</summary>
    public static void AddServices(IHostApplicationBuilder builder)
    {
        if (builder is HostApplicationBuilder) return;
        AddWebServices(builder);
    }

    /// <summary>Builds the host; a web host gets its endpoints mapped.</summary>
    public static IHost Build(IHostApplicationBuilder builder) =>
        builder is HostApplicationBuilder plain ? plain.Build() : BuildWeb(builder);

    // These signatures name only hosting interfaces (not CA1859's concrete ASP.NET types), so that resolving them
    // from the plain silo's path does not load ASP.NET.
#pragma warning disable CA1859
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHostApplicationBuilder CreateWebBuilder(string[] args, string contentRoot) =>
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = contentRoot });

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddDashboard(ISiloBuilder silo) => silo.AddDashboard();

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void AddWebServices(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SiloHttpOptions>().Bind(builder.Configuration.GetSection(SiloHttpOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SiloHttpOptions>, SiloHttpOptionsValidator>());
        services.AddSingleton<SiloReadiness>();
        if (HttpSettings.ReadToken(builder.Configuration) is { } token) services.AddSingleton(new BearerToken(token));
        services.AddSingleton<UnionFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<UnionFeed>());
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(OrleansConfigMeter.Name, OrleansMeter)
            .AddPrometheusExporter());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static IHost BuildWeb(IHostApplicationBuilder builder)
    {
        var app = ((WebApplicationBuilder)builder).Build();
        // Before every endpoint, the dashboard's too.
        if (app.Services.GetService<BearerToken>() is { } token) BearerGuard.Use(app, token);
        StatusEndpoints.Map(app);
        app.MapPrometheusScrapingEndpoint("/metrics");
        if (app.Configuration.GetValue<bool>(DashboardKey)) app.MapOrleansDashboard(routePrefix: DashboardPath);
        return app;
    }
#pragma warning restore CA1859
}
