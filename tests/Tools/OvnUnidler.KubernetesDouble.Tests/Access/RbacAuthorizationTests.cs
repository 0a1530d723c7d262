using System.Net;
using System.Text.Json;
using k8s;
using k8s.Models;
using OvnUnidler.KubernetesDouble.Authentication;

namespace OvnUnidler.KubernetesDouble.Tests.Access;

public sealed class RbacAuthorizationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unbound_user_is_forbidden_with_the_status_a_server_returns()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var admin = api.CreateClient();
        await admin.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        using var http = AccessClients.Http(api, api.IssueToken(UserInfo.User("mallory")));

        using var scale = await http.GetAsync("apis/apps/v1/namespaces/shop/deployments/web/scale", Ct);
        using var list = await http.GetAsync("api/v1/namespaces/shop/services", Ct);
        using var nodes = await http.GetAsync("api/v1/nodes", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, scale.StatusCode);
        Assert.Equal(
            """{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"deployments.apps \u0022web\u0022 is forbidden: User \u0022mallory\u0022 cannot get resource \u0022deployments/scale\u0022 in API group \u0022apps\u0022 in the namespace \u0022shop\u0022","reason":"Forbidden","details":{"name":"web","group":"apps","kind":"deployments"},"code":403}""",
            await scale.Content.ReadAsStringAsync(Ct));
        Assert.Equal(
            "services is forbidden: User \"mallory\" cannot list resource \"services\" in API group \"\" in the namespace \"shop\"",
            Message(await list.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(
            "nodes is forbidden: User \"mallory\" cannot list resource \"nodes\" in API group \"\" at the cluster scope",
            Message(await nodes.Content.ReadAsStringAsync(Ct)));
        var denied = api.Requests.Where(request => request.User?.Name == "mallory");
        Assert.Equal(3, denied.Count);
        Assert.All(denied, request => Assert.False(request.Authorization!.Allowed));
    }

    [Fact]
    public async Task A_role_binding_grants_a_cluster_role_in_its_namespace_only()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var admin = api.CreateClient();
        await AccessClients.BindClusterRoleInNamespaceAsync(admin, "shop", "view", new Rbacv1Subject { Kind = "User", Name = "ann", ApiGroup = "rbac.authorization.k8s.io" });
        using var ann = AccessClients.As(api, UserInfo.User("ann"));

        await ann.CoreV1.ListNamespacedServiceAsync("shop", cancellationToken: Ct);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => ann.CoreV1.ListNamespacedServiceAsync("other", cancellationToken: Ct));
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => ann.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: Ct));
        // view reads, it does not write.
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => ann.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("c"), "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task A_subresource_needs_its_own_rule_and_star_slash_subresource_grants_it_for_every_resource()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var admin = api.CreateClient();
        await admin.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 1), "shop", cancellationToken: Ct);
        await admin.AppsV1.CreateNamespacedStatefulSetAsync(Models.StatefulSet("db", 1, "db"), "shop", cancellationToken: Ct);
        await AccessClients.GrantInNamespaceAsync(admin, "shop", "bob", AccessClients.Rule("apps", "deployments", ["get"]));
        await AccessClients.GrantInNamespaceAsync(admin, "shop", "carol", AccessClients.Rule("apps", "*/scale", ["get"]));
        using var bob = AccessClients.As(api, UserInfo.User("bob"));
        using var carol = AccessClients.As(api, UserInfo.User("carol"));

        await bob.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => bob.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct));
        await carol.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: Ct);
        await carol.AppsV1.ReadNamespacedStatefulSetScaleAsync("db", "shop", cancellationToken: Ct);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => carol.AppsV1.ReadNamespacedDeploymentAsync("web", "shop", cancellationToken: Ct));
    }

    [Fact]
    public async Task Resource_names_allow_get_update_and_a_list_or_watch_of_that_name_but_not_create_or_an_unfiltered_list()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var admin = api.CreateClient();
        await admin.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("mine"), "shop", cancellationToken: Ct);
        await admin.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("theirs"), "shop", cancellationToken: Ct);
        await AccessClients.GrantInNamespaceAsync(admin, "shop", "dave", AccessClients.Rule("", "configmaps", ["get", "list", "watch", "update", "create"], ["mine"]));
        using var dave = AccessClients.As(api, UserInfo.User("dave"));
        using var http = AccessClients.Http(api, api.IssueToken(UserInfo.User("dave")));

        var mine = await dave.CoreV1.ReadNamespacedConfigMapAsync("mine", "shop", cancellationToken: Ct);
        await dave.CoreV1.ReplaceNamespacedConfigMapAsync(mine, "mine", "shop", cancellationToken: Ct);
        var named = await dave.CoreV1.ListNamespacedConfigMapAsync("shop", fieldSelector: "metadata.name=mine", cancellationToken: Ct);
        using var namedWatch = await http.GetAsync("api/v1/namespaces/shop/configmaps?watch=true&fieldSelector=metadata.name%3Dmine&timeoutSeconds=1", Ct);

        Assert.Equal("mine", Assert.Single(named.Items).Metadata.Name);
        Assert.Equal(HttpStatusCode.OK, namedWatch.StatusCode);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => dave.CoreV1.ReadNamespacedConfigMapAsync("theirs", "shop", cancellationToken: Ct));
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => dave.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct));
        // The name of an object being created is not known when RBAC decides.
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => dave.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("mine2"), "shop", cancellationToken: Ct));
        using var unfilteredWatch = await http.GetAsync("api/v1/namespaces/shop/configmaps?watch=true", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, unfilteredWatch.StatusCode);
    }

    [Fact]
    public async Task A_cluster_role_labelled_aggregate_to_edit_extends_edit_and_admin_but_not_view()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var admin = api.CreateClient();
        await admin.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "leases-edit", Labels = new Dictionary<string, string> { ["rbac.authorization.k8s.io/aggregate-to-edit"] = "true" } },
            Rules = [AccessClients.Rule("coordination.k8s.io", "leases", ["get", "list"])],
        }, cancellationToken: Ct);
        foreach (var (user, role) in new[] { ("erin", "edit"), ("frank", "admin"), ("grace", "view") })
        {
            await AccessClients.BindClusterRoleInNamespaceAsync(admin, "shop", role, new Rbacv1Subject { Kind = "User", Name = user, ApiGroup = "rbac.authorization.k8s.io" });
        }

        using var erin = AccessClients.As(api, UserInfo.User("erin"));
        using var frank = AccessClients.As(api, UserInfo.User("frank"));
        using var grace = AccessClients.As(api, UserInfo.User("grace"));

        await erin.CoordinationV1.ListNamespacedLeaseAsync("shop", cancellationToken: Ct);
        await frank.CoordinationV1.ListNamespacedLeaseAsync("shop", cancellationToken: Ct);
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => grace.CoordinationV1.ListNamespacedLeaseAsync("shop", cancellationToken: Ct));
        // edit holds what view holds (view is labelled aggregate-to-edit), and the aggregation
        // controller wrote the union into edit's rules.
        await erin.CoreV1.ListNamespacedServiceAsync("shop", cancellationToken: Ct);
        var edit = await admin.RbacAuthorizationV1.ReadClusterRoleAsync("edit", cancellationToken: Ct);
        Assert.Contains(edit.Rules, rule => rule.ApiGroups.Contains("coordination.k8s.io") && rule.Resources.Contains("leases"));
        Assert.Contains(edit.Rules, rule => rule.ApiGroups.Contains("") && rule.Resources.Contains("services") && rule.Verbs.Contains("list"));
    }

    [Fact]
    public async Task Discovery_is_for_authenticated_users_and_version_for_everyone()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var anonymous = AccessClients.Http(api, null);
        using var nobody = AccessClients.Http(api, api.IssueToken(UserInfo.User("nobody")));

        using var anonymousVersion = await anonymous.GetAsync("version", Ct);
        using var anonymousApis = await anonymous.GetAsync("apis", Ct);
        using var authenticatedApis = await nobody.GetAsync("apis/apps/v1", Ct);

        Assert.Equal(HttpStatusCode.OK, anonymousVersion.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, anonymousApis.StatusCode);
        Assert.Equal("forbidden: User \"system:anonymous\" cannot get path \"/apis\"", Message(await anonymousApis.Content.ReadAsStringAsync(Ct)));
        Assert.Equal(HttpStatusCode.OK, authenticatedApis.StatusCode);
    }

    [Fact]
    public async Task Roles_and_bindings_are_served_like_other_kinds()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        using var admin = api.CreateClient();
        await AccessClients.GrantInNamespaceAsync(admin, "shop", "henry", AccessClients.Rule("", "pods", ["list"]));
        using var henry = AccessClients.As(api, UserInfo.User("henry"));
        await henry.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: Ct);

        var roles = await admin.RbacAuthorizationV1.ListNamespacedRoleAsync("shop", cancellationToken: Ct);
        var clusterRoles = await admin.RbacAuthorizationV1.ListClusterRoleAsync(cancellationToken: Ct);
        var bindings = await admin.RbacAuthorizationV1.ListClusterRoleBindingAsync(cancellationToken: Ct);
        await admin.RbacAuthorizationV1.DeleteCollectionNamespacedRoleBindingAsync("shop", cancellationToken: Ct);

        Assert.Single(roles.Items);
        Assert.Contains(clusterRoles.Items, role => role.Metadata.Name == "system:discovery" && role.Metadata.Labels["kubernetes.io/bootstrapping"] == "rbac-defaults");
        Assert.Contains(bindings.Items, binding => binding.Metadata.Name == "cluster-admin" && binding.Subjects.Single().Name == "system:masters");
        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Forbidden, "Forbidden", () => henry.CoreV1.ListNamespacedPodAsync("shop", cancellationToken: Ct));
    }

    private static string Message(string status) => JsonDocument.Parse(status).RootElement.GetProperty("message").GetString()!;
}
