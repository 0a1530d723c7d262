using Microsoft.Extensions.Logging;

namespace OvnUnidler.Testing;

public sealed record RecordedLogEntry(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception)
{
    public override string ToString() => $"{Level} {EventId.Id} {Category}: {Message}{(Exception is null ? "" : $" ({Exception.GetType().Name})")}";
}
