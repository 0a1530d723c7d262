using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Idling;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Deploy.Tests.Configuration;

public sealed class ConfigurationTests
{
    private static readonly string DefaultSettings = Repository.Combine("config", "appsettings.json");

    [Fact]
    public void Every_key_of_the_default_configuration_binds_to_an_option()
    {
        var keys = JsonKeys.OfFile(DefaultSettings);

        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Null(OptionSections.Problem(key)));
    }

    [Fact]
    public void Every_option_is_documented_in_the_default_configuration()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(DefaultSettings), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var sections = document.RootElement.EnumerateObject().ToDictionary(section => section.Name, section => section.Value, StringComparer.Ordinal);

        Assert.All(OptionSections.Types, pair =>
        {
            Assert.True(sections.TryGetValue(pair.Key, out var section), $"config/appsettings.json has no section {pair.Key}");
            var documented = section.EnumerateObject().Select(property => property.Name).ToHashSet(StringComparer.Ordinal);
            var properties = pair.Value.GetProperties().Where(property => property.CanWrite).Select(property => property.Name);
            Assert.All(properties, property => Assert.True(documented.Contains(property), $"{pair.Key}:{property} is missing from config/appsettings.json"));
        });
    }

    [Fact]
    public void Every_section_binds_to_the_options_class_the_operator_registers()
    {
        var probes = new (string Key, string Value, Func<IServiceProvider, object?> Read)[]
        {
            ("Unidler:WakeConcurrency", "7", provider => provider.GetRequiredService<IOptions<UnidlerOptions>>().Value.WakeConcurrency),
            ("Southbound:ConnectTimeout", "00:00:07", provider => provider.GetRequiredService<IOptionsMonitor<DatabaseOptions>>().Get(DatabaseOptions.SouthboundSection).ConnectTimeout),
            ("Northbound:ConnectTimeout", "00:00:09", provider => provider.GetRequiredService<IOptionsMonitor<DatabaseOptions>>().Get(DatabaseOptions.NorthboundSection).ConnectTimeout),
            ("LeaderElection:LeaseName", "probe-lease", provider => provider.GetRequiredService<IOptions<LeaderElectionOptions>>().Value.LeaseName),
            ("Acknowledgement:MaxBatchSize", "7", provider => provider.GetRequiredService<IOptions<AcknowledgementOptions>>().Value.MaxBatchSize),
            ("Idling:Component", "probe-component", provider => provider.GetRequiredService<IOptions<IdlingOptions>>().Value.Component),
            ("Kubernetes:Context", "probe-context", provider => provider.GetRequiredService<IOptions<KubernetesOptions>>().Value.Context),
            ("Http:Port", "7", provider => provider.GetRequiredService<IOptions<HttpEndpointOptions>>().Value.Port),
            ("Holding:FirstPort", "31000", provider => provider.GetRequiredService<IOptions<OvnUnidler.Holding.HoldingOptions>>().Value.FirstPort),
        };
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(DefaultSettings)
            .AddInMemoryCollection(probes.Select(probe => KeyValuePair.Create(probe.Key, (string?)probe.Value)))
            .Build();
        using var provider = new ServiceCollection().AddLogging().AddUnidler(configuration).BuildServiceProvider();

        Assert.Equal(OptionSections.Types.Keys.Order(StringComparer.Ordinal), probes.Select(probe => probe.Key.Split(':')[0]).Order(StringComparer.Ordinal));
        Assert.All(probes, probe => Assert.Equal(probe.Value, Convert.ToString(probe.Read(provider), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void The_default_mode_is_per_zone_as_deploy_installs_it()
    {
        var workload = OperatorWorkload.Of(Variants.Root);
        var installed = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container).Bind<UnidlerOptions>(UnidlerOptions.Section).Mode;
        var configured = new ConfigurationBuilder().AddJsonFile(DefaultSettings).Build().GetSection(UnidlerOptions.Section).Get<UnidlerOptions>()!.Mode;

        Assert.Equal(DeploymentMode.PerZone, installed);
        Assert.Equal(installed, new UnidlerOptions().Mode);
        Assert.Equal(installed, configured);
    }

    [Theory]
    [MemberData(nameof(Variants.AllData), MemberType = typeof(Variants))]
    public void The_mounted_settings_file_is_where_the_operator_reads_it(string variant)
    {
        var workload = OperatorWorkload.Of(variant);
        var mount = workload.Container.VolumeMounts.Single(candidate => candidate.Name == "config");

        Assert.Equal(UnidlerHost.MountedConfiguration, mount.MountPath);
        Assert.Equal(Path.GetFileName(UnidlerHost.MountedConfiguration), mount.SubPath);
        Assert.True(mount.ReadOnlyProperty);
    }
}
