using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Operator.Tests.Hosting;

public sealed class LogTimestampTests
{
    [Fact]
    public void Json_console_lines_carry_a_utc_iso_8601_timestamp_with_fractional_seconds_by_default()
    {
        using var host = UnidlerHost.Build([]);
        var json = host.Services.GetServices<ConsoleFormatter>().Single(formatter => formatter.Name == ConsoleFormatterNames.Json);
        using var line = new StringWriter();
        var before = DateTimeOffset.UtcNow;

        json.Write(new LogEntry<string>(LogLevel.Information, "Test", new EventId(1), "woke shop/web", null, (state, _) => state), null, line);

        var timestamp = JsonDocument.Parse(line.ToString()).RootElement.GetProperty("Timestamp").GetString()!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$", timestamp);
        var parsed = DateTimeOffset.ParseExact(timestamp, UnidlerHost.LogTimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        Assert.InRange(parsed, before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public void A_configured_timestamp_format_wins_over_the_default()
    {
        using var host = UnidlerHost.Build(["--Logging:Console:FormatterOptions:TimestampFormat=HH:mm:ss ", "--Logging:Console:FormatterOptions:UseUtcTimestamp=false"]);

        var options = host.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue;

        Assert.Equal("HH:mm:ss ", options.TimestampFormat);
        Assert.False(options.UseUtcTimestamp);
    }
}
