using System.Net.Http.Headers;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Authentication;

namespace OvnUnidler.KubernetesDouble.Tests.Access;

// Users of the double other than its admin, and the RBAC objects that bind them.
internal static class AccessClients
{
    public static HttpClient Http(KubernetesApiDouble api, string? token)
    {
        var http = new HttpClient { BaseAddress = api.BaseAddress };
        if (token is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http;
    }

    public static IKubernetes As(KubernetesApiDouble api, UserInfo user) => api.CreateClient(api.IssueToken(user));

    public static V1PolicyRule Rule(string group, string resource, string[] verbs, string[]? names = null) =>
        new() { ApiGroups = [group], Resources = [resource], Verbs = verbs, ResourceNames = names };

    public static async Task GrantInNamespaceAsync(IKubernetes admin, string ns, string user, params V1PolicyRule[] rules)
    {
        var name = $"{user}-{Guid.NewGuid():N}"[..20];
        await admin.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role { Metadata = new V1ObjectMeta { Name = name }, Rules = rules }, ns, cancellationToken: TestContext.Current.CancellationToken);
        await admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = name },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = name },
            Subjects = [new Rbacv1Subject { Kind = "User", Name = user, ApiGroup = "rbac.authorization.k8s.io" }],
        }, ns, cancellationToken: TestContext.Current.CancellationToken);
    }

    public static Task BindClusterRoleInNamespaceAsync(IKubernetes admin, string ns, string clusterRole, Rbacv1Subject subject) =>
        admin.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = $"{clusterRole}-{subject.Name}".Replace(':', '-') },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = clusterRole },
            Subjects = [subject],
        }, ns, cancellationToken: TestContext.Current.CancellationToken);
}
