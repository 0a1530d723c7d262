namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>YAML an admin would apply.</summary>
internal static class Manifests
{
    public static string Deployment(string name, int replicas, string ns = "shop") => $"""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          labels: {"{"}app: {name}{"}"}
        spec:
          replicas: {replicas}
          selector:
            matchLabels: {"{"}app: {name}{"}"}
          template:
            metadata:
              labels: {"{"}app: {name}{"}"}
            spec:
              containers:
              - name: app
                image: registry.example/{name}:1
        """;

    public static string Service(string name, string ns = "shop", int port = 80) => $"""
        apiVersion: v1
        kind: Service
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          selector: {"{"}app: {name}{"}"}
          ports:
          - name: http
            port: {port}
            targetPort: 8080
        """;
}
