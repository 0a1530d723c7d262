using OvnUnidler.Deploy.Tests.Configuration;
using OvnUnidler.Deploy.Tests.Manifests;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// The Leases a rendered variant's operator campaigns for, from the configuration its container
/// starts with (code defaults, config/appsettings.json, the mounted file, the environment), as
/// LeaseLeadership names them: LeaderElection:LeaseName for the pipeline (central mode only) and
/// LeaseName + "-controllers" for the Idler reconciler (both modes), in LeaseNamespace or else the
/// pod's namespace.
/// </summary>
public sealed record OperatorLeases(string Namespace, IReadOnlyList<string> Names)
{
    public static OperatorLeases Of(OperatorWorkload workload)
    {
        var configuration = ContainerConfiguration.Of(workload.Manifests, workload.Metadata, workload.Pod, workload.Container);
        var election = configuration.Bind<LeaderElectionOptions>(LeaderElectionOptions.Section);
        var mode = configuration.Bind<UnidlerOptions>(UnidlerOptions.Section).Mode;
        var @namespace = election.LeaseNamespace
            ?? configuration.Environment.GetValueOrDefault("POD_NAMESPACE")
            ?? throw new InvalidOperationException($"{workload.Manifests.Variant}: neither LeaderElection:LeaseNamespace nor POD_NAMESPACE is set");
        string[] names = mode == DeploymentMode.Central ? [election.LeaseName, election.LeaseName + "-controllers"] : [election.LeaseName + "-controllers"];
        return new OperatorLeases(@namespace, names);
    }
}
