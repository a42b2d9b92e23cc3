using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.Silo;

/// <summary>
/// Orleans' watchdog (10.4.2) starts its platform thread before it stamps its participant thread, so its first check
/// may warn "Participant check thread has not completed for" the time since the machine booted, a stall that never
/// happened. Its warnings are held back until the silo is up; errors, and every warning after the start, pass.
/// </summary>
internal sealed class WatchdogStartFilter : IHostedService
{
    public const string Category = "Orleans.Runtime.Watchdog";

    private volatile bool _started;

    /// <summary>Adds the filter; registered after Orleans, so it marks the silo up once the silo has started.</summary>
    public static void Add(IHostApplicationBuilder builder)
    {
        var filter = new WatchdogStartFilter();
        builder.Services.AddHostedService(_ => filter);
        builder.Logging.AddFilter(Category, level => level > LogLevel.Warning || (level == LogLevel.Warning && filter._started));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
