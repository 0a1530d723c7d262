using System.Net.Http.Headers;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

// The double with the namespaces these tests work in, created by the cluster admin first, as
// they would have to be on a real cluster (creating in a missing namespace is 404).
internal static class DoubleWithNamespaces
{
    public static readonly string[] Namespaces = ["shop", "other", "blog", "test"];

    public static async Task<KubernetesApiDouble> StartAsync(KubernetesApiDoubleOptions? options = null, CancellationToken cancellationToken = default)
    {
        var api = await KubernetesApiDouble.StartAsync(options, cancellationToken);
        using var client = api.CreateClient();
        foreach (var name in Namespaces)
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } }, cancellationToken: cancellationToken);
        }

        // The tests' journal begins with their own requests.
        api.Requests.Clear();
        return api;
    }

    // Plain HTTP as the cluster admin, for requests KubernetesClient cannot make.
    public static HttpClient AdminHttp(KubernetesApiDouble api)
    {
        var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", api.AdminToken);
        return http;
    }
}
