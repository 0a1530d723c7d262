using System.Text.Json.Nodes;
using k8s;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Authorization;
using OvnUnidler.KubernetesDouble.Registry;

namespace OvnUnidler.KubernetesDouble;

// Identities: the double issues bearer tokens for users and service accounts, and a client,
// client configuration or kubeconfig for each. Its own default client is cluster-admin.
public sealed partial class KubernetesApiDouble
{
    private readonly TokenAuthenticator authenticator;
    private readonly RbacAuthorizer authorizer;

    // A member of system:masters: everything is allowed (ClusterRoleBinding cluster-admin).
    public string AdminToken { get; }

    public string IssueToken(UserInfo user) => authenticator.Issue(user);

    // What the token of a pod's service account authenticates as; the ServiceAccount object
    // itself need not exist, as RBAC bindings may name accounts before they are created.
    public string IssueServiceAccountToken(string @namespace, string name) => IssueToken(UserInfo.ServiceAccount(@namespace, name));

    public KubernetesClientConfiguration ClientConfigurationFor(string token) => new() { Host = BaseAddress.ToString(), AccessToken = token };

    public IKubernetes CreateClient(string token) => new Kubernetes(ClientConfigurationFor(token));

    public string KubeconfigFor(string token) => KubeconfigFor(token, BaseAddress);

    // A kubeconfig for a client that reaches the double at another of its addresses (ServerOn).
    public string KubeconfigFor(string token, Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: double
          cluster:
            server: {server}
        users:
        - name: double-user
          user:
            token: {token}
        contexts:
        - name: double
          context:
            cluster: double
            user: double-user
        current-context: double
        """;

    // The CA that signed the HTTPS serving certificate, PEM-encoded: a client that trusts it
    // verifies the double as it would a cluster's API server.
    public string CertificateAuthorityPem => certificates.AuthorityPem;

    // A kubeconfig for HttpsAddress with the double's CA, as the holder of token. kubectl sends a
    // token only over TLS, so this is the kubeconfig for kubectl.
    public string HttpsKubeconfigFor(string token) => HttpsKubeconfigFor(token, HttpsAddress);

    // The same for another of the double's HTTPS listeners (HttpsServerOn), as a pod reaches its API server.
    public string HttpsKubeconfigFor(string token, Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: double
          cluster:
            server: {server}
            certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes(CertificateAuthorityPem))}
        users:
        - name: double-user
          user:
            token: "{token}"
        contexts:
        - name: double
          context:
            cluster: double
            user: double-user
        current-context: double
        """;

    // A kubeconfig with no credentials, so requests arrive as system:anonymous. It names the plain
    // HTTP address: given an HTTPS server and no credentials, kubectl prompts for a username.
    public string AnonymousKubeconfig => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: double
          cluster:
            server: {BaseAddress}
        contexts:
        - name: double
          context:
            cluster: double
        current-context: double
        """;

    // Every RBAC rule bound to the user now, with the binding and role it comes from.
    public IReadOnlyList<BoundRule> RulesBoundTo(UserInfo user) => authorizer.BoundRules(user);

    // The API server's RBAC post-start hook: the default roles and bindings exist from the start.
    private static void BootstrapAccessControl(ResourceRegistry registry, bool openShiftApps)
    {
        var clusterRoles = registry.Catalog.Find(AccessResourceTypes.RbacGroup, "v1", "clusterroles")!;
        var clusterRoleBindings = registry.Catalog.Find(AccessResourceTypes.RbacGroup, "v1", "clusterrolebindings")!;
        foreach (var role in BootstrapPolicy.ClusterRoles(openShiftApps))
        {
            Require(registry.Create(clusterRoles, "", role), role);
        }

        foreach (var binding in BootstrapPolicy.ClusterRoleBindings())
        {
            Require(registry.Create(clusterRoleBindings, "", binding), binding);
        }
    }

    private static void Require(ApiResult result, JsonObject obj)
    {
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"the double could not create {obj["metadata"]?["name"]}: {result.Error!.Message}");
        }
    }
}
