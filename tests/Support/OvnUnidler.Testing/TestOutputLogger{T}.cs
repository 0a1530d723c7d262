using Xunit;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OvnUnidler.Testing;

/// <summary>
/// The client's log lines in the test's output, to see why a failing test's client did what it did,
/// and kept in <see cref="Entries"/> for tests that assert on the logged events (stable event ids).
/// </summary>
public sealed class TestOutputLogger<T>(string name) : ILogger<T>
{
    private readonly ITestOutputHelper? output = TestContext.Current.TestOutputHelper;

    public ConcurrentQueue<(int EventId, LogLevel Level, string Message)> Entries { get; } = new();

    public bool Logged(int eventId) => Entries.Any(entry => entry.EventId == eventId);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        Entries.Enqueue((eventId.Id, logLevel, formatter(state, exception)));
        try
        {
            output?.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {name} {logLevel}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; its output is closed.
        }
    }
}
