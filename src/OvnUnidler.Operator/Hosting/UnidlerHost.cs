using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace OvnUnidler.Operator.Hosting;

public static class UnidlerHost
{
    /// <summary>Where a ConfigMap with overrides is mounted (deploy/).</summary>
    public const string MountedConfiguration = "/etc/ovn-unidler/appsettings.json";

    /// <summary>
    /// The operator's host: config/appsettings.json beside the binary, the mounted override, then
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
