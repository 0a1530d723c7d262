using System.CommandLine;
using k8s;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Operator.Commands;

/// <summary>kubectl's way to pick a cluster and a namespace, for the commands that talk to the API server.</summary>
public sealed class ClusterOptions
{
    public Option<string> Kubeconfig { get; } = new("--kubeconfig")
    {
        Description = "The kubeconfig file (default: the first file of $KUBECONFIG that exists, else in a pod its service account, else ~/.kube/config)",
        HelpName = "PATH",
    };

    public Option<string> Context { get; } = new("--context")
    {
        Description = "The kubeconfig context to use (default: its current context)",
        HelpName = "NAME",
    };

    public Option<string> Namespace { get; } = new("--namespace", "-n")
    {
        Description = "The namespace, instead of NAMESPACE/ in front of the Service",
        HelpName = "NAMESPACE",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Namespace);
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
    }

    public IKubernetes CreateClient(ParseResult parse) =>
        KubernetesClientFactory.Create(new KubernetesOptions { Kubeconfig = parse.GetValue(Kubeconfig) ?? FromEnvironment(), Context = parse.GetValue(Context) });

    // kubectl merges every file of the $KUBECONFIG list; the client library takes one file, so this
    // takes the first that exists, which holds the whole configuration in the common case of one file.
    private static string? FromEnvironment() =>
        Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(File.Exists);
}
