using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OvnUnidler.Idling.Discovery;

// Reads one discovery document. KubernetesClient has typed calls for /api/v1 and /apis, but not
// for /apis/GROUP/VERSION of a group it was not generated for (a CRD's, OpenShift's), so that GET
// goes through the client's own HttpClient and credentials. A failure throws as the client's
// generated calls throw (HttpOperationException with the response), so ApiFailure reads it alike.
internal static class ApiResourceListReader
{
    public static async Task<V1APIResourceList> ReadAsync(IKubernetes client, string group, string version, CancellationToken cancellationToken)
    {
        if (group.Length == 0)
        {
            return await client.CoreV1.GetAPIResourcesAsync(cancellationToken).ConfigureAwait(false);
        }

        if (client is not Kubernetes concrete)
        {
            throw new NotSupportedException($"reading /apis/{group}/{version} needs a k8s.Kubernetes client, not {client.GetType().Name}");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(concrete.BaseUri, $"apis/{Uri.EscapeDataString(group)}/{Uri.EscapeDataString(version)}"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (concrete.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
        }

        using var response = await concrete.HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var content = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpOperationException($"Operation returned an invalid status code '{response.StatusCode}', response body {content}")
            {
                Request = new HttpRequestMessageWrapper(request, ""),
                Response = new HttpResponseMessageWrapper(response, content),
            };
        }

        return KubernetesJson.Deserialize<V1APIResourceList>(content);
    }
}
