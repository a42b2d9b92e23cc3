using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OrleansConfig.IntegrationTests.Cluster;

/// <summary>Keeps a test client's recent warnings (and OrleansConfig's own information lines) for failure messages.</summary>
internal sealed class ClientLog : ILoggerProvider
{
    private const int Keep = 200;
    private readonly ConcurrentQueue<string> _lines = new();

    public string Text => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        _lines.Enqueue(line);
        while (_lines.Count > Keep) _lines.TryDequeue(out _);
    }

    private sealed class Logger(ClientLog log, string category) : ILogger
    {
        private readonly LogLevel _least =
            category.StartsWith("OrleansConfig", StringComparison.Ordinal) ? LogLevel.Information : LogLevel.Warning;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= _least;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?,
            string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var text = $"{DateTime.Now:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}";
            if (exception is not null) text += $" ({exception.GetType().Name}: {exception.Message.Split('\n')[0]})";
            log.Add(text);
        }
    }
}
