using Microsoft.Extensions.Logging;

namespace OvnUnidler.Demo;

/// <summary>Shows the operator's own log lines (mapping, wake, acknowledgement) in the demo's timeline.</summary>
public sealed class NarratingLoggerProvider(Narrator narrator) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new NarratingLogger(narrator, categoryName);

    public void Dispose()
    {
    }

    private sealed class NarratingLogger(Narrator narrator, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            category.StartsWith("OvnUnidler.", StringComparison.Ordinal) ? logLevel >= LogLevel.Information : logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                var level = logLevel >= LogLevel.Warning ? $"{logLevel}: " : "";
                narrator.Step("operator", $"{level}{formatter(state, exception)}{(exception is null ? "" : $" ({exception.Message})")}");
            }
        }
    }
}
