using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OvnUnidler.Operator.Hosting;

public static class UnidlerHost
{
    /// <summary>Where a ConfigMap with overrides is mounted (deploy/).</summary>
    public const string MountedConfiguration = "/etc/ovn-unidler/appsettings.json";

    /// <summary>ISO 8601 in UTC with microseconds, so that lines from several pods and nodes sort and compare.</summary>
    public const string LogTimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    // Below every other source, so that Logging:Console:FormatterOptions in a file, the environment
    // or the command line still wins; without these the console formatters write no time at all.
    private static readonly Dictionary<string, string?> LoggingDefaults = new()
    {
        ["Logging:Console:FormatterOptions:TimestampFormat"] = LogTimestampFormat,
        ["Logging:Console:FormatterOptions:UseUtcTimestamp"] = "true",
    };

    /// <summary>
    /// The operator's host: logging defaults, config/appsettings.json beside the binary, the mounted override, then
    /// environment variables (Unidler__Mode=PerZone), then <paramref name="overrides"/>.
    /// </summary>
    public static IHost Build(string[] args, IEnumerable<KeyValuePair<string, string?>>? overrides = null, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = args,
            DisableDefaults = false,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddInMemoryCollection(LoggingDefaults)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "config", "appsettings.json"), optional: true)
            .AddJsonFile(MountedConfiguration, optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args);
        if (overrides is not null)
        {
            builder.Configuration.AddInMemoryCollection(overrides);
        }

        services?.Invoke(builder.Services);
        builder.Services.AddUnidler(builder.Configuration);
        return builder.Build();
    }
}
