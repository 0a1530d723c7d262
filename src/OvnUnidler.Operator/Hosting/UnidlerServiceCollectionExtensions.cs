using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Idling.Waking;
using OvnUnidler.Entities;
using OvnUnidler.Holding;
using OvnUnidler.Holding.Observability;
using OvnUnidler.Operator.Controllers;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Backends;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Holding;
using OvnUnidler.Operator.LeaderElection;
using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Northbound;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Southbound;
using OvnUnidler.Operator.Waking;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Hosting;

public static class UnidlerServiceCollectionExtensions
{
    /// <summary>
    /// Registers the whole operator. Options are bound from <paramref name="configuration"/> and
    /// validated at start; an IKubernetes or TimeProvider registered before this call wins
    /// (tests and the demo point it at the Kubernetes API double).
    /// </summary>
    public static IServiceCollection AddUnidler(this IServiceCollection services, IConfiguration configuration)
    {
        AddOptions(services, configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(provider =>
            KubernetesClientFactory.Create(provider.GetRequiredService<IOptions<KubernetesOptions>>().Value));

        services.AddKeyedSingleton(DatabaseKeys.Southbound, (provider, _) => CreateDatabaseClient(provider, DatabaseOptions.SouthboundSection));
        services.AddKeyedSingleton(DatabaseKeys.SouthboundWrites, (provider, _) => CreateDatabaseClient(provider, DatabaseOptions.SouthboundSection));
        services.AddKeyedSingleton(DatabaseKeys.Northbound, (provider, _) => CreateDatabaseClient(provider, DatabaseOptions.NorthboundSection));

        services.AddSingleton<UnidlerMetrics>();
        services.AddSingleton(provider => new ReadinessSignals(ExpectedReadiness(provider.GetRequiredService<IOptions<UnidlerOptions>>().Value.Mode)));
        services.AddSingleton<ServiceVipIndex>();
        services.AddSingleton<ServiceCache>();
        services.AddSingleton<EndpointSliceCache>();
        services.AddSingleton<LoadBalancerIndex>();
        services.AddSingleton<ServiceResolver>();
        services.AddSingleton<SouthboundEventChannel>();
        services.AddSingleton<WakeCoordinator>();
        services.AddSingleton<ISouthboundRowStore, SouthboundRowStore>();
        services.AddSingleton<INorthboundBackendWriter, NorthboundBackendWriter>();
        services.AddSingleton(provider => new ServiceWaker(
            provider.GetRequiredService<IKubernetes>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ServiceWaker>>(),
            provider.GetRequiredService<IOptions<IdlingOptions>>().Value));
        services.AddSingleton(provider => new ServiceIdler(
            provider.GetRequiredService<IKubernetes>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetRequiredService<ILogger<ServiceIdler>>(),
            provider.GetRequiredService<IOptions<IdlingOptions>>().Value));
        services.AddSingleton<IServiceWaker, IdlingServiceWaker>();
        services.AddSingleton<IdlerController>();
        services.AddSingleton<IdlerIndex>();
        services.AddSingleton<CustomResourceAvailability<V1Alpha1Idler>>();
        services.AddSingleton<IEntityCache<V1Alpha1Idler>>(provider => provider.GetRequiredService<IdlerIndex>());
        services.AddSingleton<IEntityController<V1Alpha1Idler>>(provider => provider.GetRequiredService<IdlerController>());
        services.AddSingleton<IWakeObserver, IdlerWakeRecorder>();
        services.AddSingleton<IWakeObserver, BackendsTimeoutEventRecorder>();
        services.AddSingleton<HeldWaits>();
        services.AddSingleton<IBackendGate, ObservedBackendGate>();
        services.AddSingleton<ActiveHolds>();
        services.TryAddSingleton<IHoldingReads, KubernetesHoldingReads>();
        services.AddSingleton<HoldLifecycle>();
        services.AddSingleton<IWakeStartObserver>(provider => provider.GetRequiredService<HoldLifecycle>());
        services.AddSingleton<IWakeObserver>(provider => provider.GetRequiredService<HoldLifecycle>());
        services.AddSingleton<HoldTracker>();
        services.AddSingleton<IHoldEndObserver, IdlerHoldRecorder>();
        services.TryAddSingleton<IHoldingObserver, HoldingMetricsObserver>();
        services.TryAddSingleton<IConnectionHolder, ConnectionHolder>();
        services.TryAddSingleton<IDesiredBackends, HoldingDesiredBackends>();
        services.AddSingleton<BackendsReconciler>();
        services.AddSingleton<ILeadership>(provider =>
            provider.GetRequiredService<IOptions<UnidlerOptions>>().Value.Mode == DeploymentMode.Central
                ? LeaseLeadership.ForPipeline(provider)
                : new AlwaysLeading(provider.GetRequiredService<UnidlerMetrics>().Leading));
        services.AddSingleton(provider => new ControllerLeadership(LeaseLeadership.ForControllers(provider)));

        services.AddSingleton<OutcomeStream>();
        services.AddSingleton<AcknowledgementQueue>();
        services.AddSingleton<SouthboundWatcher>();
        services.AddSingleton<EventMapper>();
        services.AddSingleton<WakeProcessor>();
        services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<SouthboundWatcher>());
        services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<EventMapper>());
        services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<WakeProcessor>());
        services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<AcknowledgementQueue>());
        services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<HoldTracker>());
        if (configuration.GetSection(UnidlerOptions.Section).GetValue<BackendsMode?>(nameof(UnidlerOptions.Backends)) == BackendsMode.Write)
        {
            services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<BackendsReconciler>());
            services.AddSingleton<NorthboundHolderStamps>();
            services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<NorthboundHolderStamps>());
            // Every instance, standbys included: a dead leader's holder must not wait for the Lease.
            services.AddHostedService<NorthboundHolderSweeper>();
        }
        else
        {
            services.AddSingleton<HolderEndpointSlices>();
            services.AddSingleton<IPipelineStage>(provider => provider.GetRequiredService<HolderEndpointSlices>());
        }

        services.AddHostedService<ClusterView>();
        services.AddHostedService<NorthboundWatcher>();
        services.AddHostedService<StartupHeapRelease>();
        services.AddHostedService<HttpEndpoint>();
        services.AddHostedService<UnidlerPipeline>();
        services.AddHostedService<CustomResourceProbe<V1Alpha1Idler>>();
        services.AddHostedService<EntityControllerRunner<V1Alpha1Idler>>();
        return services;
    }

    /// <summary>
    /// Per zone the pipeline always acts, so the Southbound is part of readiness from the start. In
    /// central mode it is watched only by the leader, which registers it when it starts leading; a
    /// standby is ready without it (else a rollout would wait for standbys that never watch it).
    /// </summary>
    private static IEnumerable<string> ExpectedReadiness(DeploymentMode mode) => mode == DeploymentMode.Central
        ? [ReadinessNames.Services, ReadinessNames.EndpointSlices, ReadinessNames.Northbound]
        : [ReadinessNames.Services, ReadinessNames.EndpointSlices, ReadinessNames.Northbound, ReadinessNames.Southbound];

    private static void AddOptions(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UnidlerOptions>().Bind(configuration.GetSection(UnidlerOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UnidlerOptions>, UnidlerOptionsValidator>();
        services.AddOptions<DatabaseOptions>(DatabaseOptions.SouthboundSection)
            .Bind(configuration.GetSection(DatabaseOptions.SouthboundSection)).ValidateOnStart();
        services.AddOptions<DatabaseOptions>(DatabaseOptions.NorthboundSection)
            .Bind(configuration.GetSection(DatabaseOptions.NorthboundSection)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DatabaseOptions>, DatabaseOptionsValidator>();
        services.AddOptions<HoldingOptions>().Bind(configuration.GetSection(HoldingOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HoldingOptions>, HoldingOptionsValidator>();
        // The holder names its listeners at the address the VIPs and slices point to.
        services.AddOptions<HoldingOptions>().Configure<IOptions<UnidlerOptions>>((holding, unidler) => holding.AdvertiseAddress ??= unidler.Value.HolderAddress);
        services.AddOptions<LeaderElectionOptions>().Bind(configuration.GetSection(LeaderElectionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeaderElectionOptions>, LeaderElectionOptionsValidator>();
        services.AddOptions<AcknowledgementOptions>().Bind(configuration.GetSection(AcknowledgementOptionsValidator.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AcknowledgementOptions>, AcknowledgementOptionsValidator>();
        services.AddOptions<IdlingOptions>().Bind(configuration.GetSection(IdlingOptionsValidator.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IdlingOptions>, IdlingOptionsValidator>();
        services.AddOptions<KubernetesOptions>().Bind(configuration.GetSection(KubernetesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<KubernetesOptions>, KubernetesOptionsValidator>();
        services.AddOptions<HttpEndpointOptions>().Bind(configuration.GetSection(HttpEndpointOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<HttpEndpointOptions>, HttpEndpointOptionsValidator>();
    }

    private static OvsdbClient CreateDatabaseClient(IServiceProvider provider, string section)
    {
        var options = provider.GetRequiredService<IOptionsMonitor<DatabaseOptions>>().Get(section);
        return new OvsdbClient(
            new OvsdbClientOptions
            {
                Remote = options.Remote,
                PrivateKeyFile = options.PrivateKeyFile,
                CertificateFile = options.CertificateFile,
                CaCertificateFile = options.CaCertificateFile,
                InactivityProbe = options.InactivityProbe,
                ConnectTimeout = options.ConnectTimeout,
                ReconnectInitialBackoff = options.ReconnectInitialBackoff,
                ReconnectMaxBackoff = options.ReconnectMaxBackoff,
                LeaderOnly = options.LeaderOnly,
            },
            provider.GetRequiredService<ILoggerFactory>().CreateLogger<OvsdbClient>(),
            provider.GetRequiredService<TimeProvider>());
    }
}
