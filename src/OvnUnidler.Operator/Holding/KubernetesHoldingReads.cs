using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// The Service, its Namespace, the NetworkPolicies of that namespace (networking.k8s.io/v1) and the
/// cluster's AdminNetworkPolicies and BaselineAdminNetworkPolicies (policy.networking.k8s.io/v1alpha1,
/// CRDs of sig-network's network-policy-api: a cluster without them answers 404, which means none).
/// </summary>
public sealed class KubernetesHoldingReads(IKubernetes client) : IHoldingReads
{
    public const string PolicyGroup = "policy.networking.k8s.io";
    public const string PolicyVersion = "v1alpha1";
    public const string AdminPolicies = "adminnetworkpolicies";
    public const string BaselineAdminPolicies = "baselineadminnetworkpolicies";

    public async Task<HoldingFacts> ReadAsync(ServiceKey service, CancellationToken cancellationToken)
    {
        var serviceRead = client.CoreV1.ReadNamespacedServiceAsync(service.Name, service.Namespace, cancellationToken: cancellationToken);
        var namespaceRead = client.CoreV1.ReadNamespaceAsync(service.Namespace, cancellationToken: cancellationToken);
        var networkPolicies = client.NetworkingV1.ListNamespacedNetworkPolicyAsync(service.Namespace, cancellationToken: cancellationToken);
        var admin = ClusterPoliciesAsync(AdminPolicies, "AdminNetworkPolicy", cancellationToken);
        var baseline = ClusterPoliciesAsync(BaselineAdminPolicies, "BaselineAdminNetworkPolicy", cancellationToken);
        await Task.WhenAll(serviceRead, namespaceRead, networkPolicies, admin, baseline).ConfigureAwait(false);

        var policies = new List<PolicySubject>();
        policies.AddRange((await networkPolicies.ConfigureAwait(false)).Items.Select(policy =>
            new PolicySubject($"NetworkPolicy {service.Namespace}/{policy.Metadata.Name}", null, Empty(policy.Spec?.PodSelector))));
        policies.AddRange(await admin.ConfigureAwait(false));
        policies.AddRange(await baseline.ConfigureAwait(false));
        var labels = (await namespaceRead.ConfigureAwait(false)).Metadata.Labels ?? new Dictionary<string, string>();
        return new HoldingFacts(await serviceRead.ConfigureAwait(false), new Dictionary<string, string>(labels, StringComparer.Ordinal), policies);
    }

    private async Task<IReadOnlyList<PolicySubject>> ClusterPoliciesAsync(string plural, string kind, CancellationToken cancellationToken)
    {
        object list;
        try
        {
            list = await client.CustomObjects.ListClusterCustomObjectAsync(PolicyGroup, PolicyVersion, plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return [];
        }

        var root = list is JsonElement element ? element : JsonSerializer.SerializeToElement(list);
        if (!root.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        return [.. items.EnumerateArray().Select(item => SubjectOf(kind, item))];
    }

    /// <summary>
    /// spec.subject is either namespaces (a namespace selector: every pod there) or pods (a
    /// namespace selector and a pod selector). Anything else cannot be judged, so it selects all.
    /// </summary>
    private static PolicySubject SubjectOf(string kind, JsonElement item)
    {
        var name = item.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("name", out var named) ? named.GetString() : null;
        var policy = $"{kind} {name}";
        if (!item.TryGetProperty("spec", out var spec) || !spec.TryGetProperty("subject", out var subject))
        {
            return new PolicySubject(policy, null, null);
        }

        if (subject.TryGetProperty("namespaces", out var namespaces))
        {
            return new PolicySubject(policy, Selector(namespaces), null);
        }

        if (subject.TryGetProperty("pods", out var pods))
        {
            return new PolicySubject(policy,
                pods.TryGetProperty("namespaceSelector", out var namespaceSelector) ? Selector(namespaceSelector) : null,
                pods.TryGetProperty("podSelector", out var podSelector) ? Selector(podSelector) : null);
        }

        return new PolicySubject(policy, null, null);
    }

    private static V1LabelSelector? Selector(JsonElement element) => Empty(KubernetesJson.Deserialize<V1LabelSelector>(element.GetRawText()));

    private static V1LabelSelector? Empty(V1LabelSelector? selector) =>
        selector is null || ((selector.MatchLabels?.Count ?? 0) == 0 && (selector.MatchExpressions?.Count ?? 0) == 0) ? null : selector;
}
