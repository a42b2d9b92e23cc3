using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OrleansConfig.Silo;
using Xunit;

namespace OrleansConfig.Tests.Silo;

public sealed class WatchdogStartFilterTests
{
    [Fact]
    public async Task Watchdog_warnings_pass_only_once_the_silo_is_up_and_other_categories_are_untouched()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.AddProvider(new EveryLevel());
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        WatchdogStartFilter.Add(builder);
        using var host = builder.Build();
        var factory = host.Services.GetRequiredService<ILoggerFactory>();
        var watchdog = factory.CreateLogger(WatchdogStartFilter.Category);
        var other = factory.CreateLogger("Orleans.Runtime.Silo");

        Assert.False(watchdog.IsEnabled(LogLevel.Warning));
        Assert.True(watchdog.IsEnabled(LogLevel.Error));
        Assert.True(other.IsEnabled(LogLevel.Warning));

        foreach (var service in host.Services.GetServices<IHostedService>()) await service.StartAsync(CancellationToken.None);

        Assert.True(watchdog.IsEnabled(LogLevel.Warning));
        Assert.False(watchdog.IsEnabled(LogLevel.Information));
    }

    /// <summary>A provider whose loggers take every level, so only the filters decide.</summary>
    private sealed class EveryLevel : ILoggerProvider, ILogger
    {
        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?,
            string> formatter)
        {
        }

        public void Dispose()
        {
        }
    }
}
