using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

// Objects as a client of the operator would write them.
internal static class Models
{
    // A double serving the repository's generated CRDs (crds/), as after `kubectl apply -f crds/`.
    public static KubernetesApiDoubleOptions WithCrds()
    {
        var options = new KubernetesApiDoubleOptions();
        options.CustomResourceDefinitions.Add(Repository.Combine("crds"));
        return options;
    }

    public static V1Deployment Deployment(string name, int replicas, string app = "web") => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Spec = new V1DeploymentSpec
        {
            Replicas = replicas,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = PodTemplate(app),
        },
    };

    public static V1ReplicationController ReplicationController(string name, int replicas, string app) => new()
    {
        ApiVersion = "v1",
        Kind = "ReplicationController",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ReplicationControllerSpec { Replicas = replicas, Template = PodTemplate(app) },
    };

    public static V1StatefulSet StatefulSet(string name, int replicas, string app) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "StatefulSet",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1StatefulSetSpec
        {
            Replicas = replicas,
            ServiceName = name,
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } },
            Template = PodTemplate(app),
        },
    };

    public static V1Service Service(string name, string app = "web", int port = 80, IntOrString? targetPort = null, string? clusterIp = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = app },
            ClusterIP = clusterIp,
            Ports = [new V1ServicePort { Name = "http", Port = port, TargetPort = targetPort ?? 8080, Protocol = "TCP" }],
        },
    };

    public static V1ConfigMap ConfigMap(string name, IDictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        Data = new Dictionary<string, string> { ["key"] = "value" },
    };

    private static V1PodTemplateSpec PodTemplate(string app) => new()
    {
        Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = app, ["tier"] = "backend" } },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
    };
}
