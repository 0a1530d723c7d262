using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Authorization;

// The default ClusterRoles and ClusterRoleBindings an API server creates at start ("Default roles
// and role bindings"), labelled kubernetes.io/bootstrapping=rbac-defaults: cluster-admin for
// system:masters; the user-facing admin, edit and view, which aggregate the rules of every
// ClusterRole labelled rbac.authorization.k8s.io/aggregate-to-admin, -edit or -view (view feeds
// edit and edit feeds admin); system:discovery and system:basic-user for every authenticated
// user; system:public-info-viewer also for unauthenticated ones. The aggregate-to roles keep
// the rules of the resources this double serves and their near relatives.
internal static class BootstrapPolicy
{
    private const string AggregateTo = "rbac.authorization.k8s.io/aggregate-to-";
    private static readonly string[] Read = ["get", "list", "watch"];
    private static readonly string[] Write = ["create", "delete", "deletecollection", "patch", "update"];
    private static readonly string[] All = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static IEnumerable<JsonObject> ClusterRoles()
    {
        yield return Role("cluster-admin", [], [PolicyRule.Resource(["*"], ["*"], ["*"]), PolicyRule.NonResource(["*"], ["*"])]);
        yield return Aggregating("admin", "admin", []);
        yield return Aggregating("edit", "edit", ["admin"]);
        yield return Aggregating("view", "view", ["edit"]);
        yield return Role("system:aggregate-to-admin", ["admin"],
        [
            PolicyRule.Resource(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
            PolicyRule.Resource(["rbac.authorization.k8s.io"], ["rolebindings", "roles"], All),
        ]);
        yield return Role("system:aggregate-to-edit", ["edit"],
        [
            PolicyRule.Resource([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], Read),
            PolicyRule.Resource([""], ["serviceaccounts"], ["impersonate"]),
            PolicyRule.Resource([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], Write),
            PolicyRule.Resource([""], ["pods/eviction"], ["create"]),
            PolicyRule.Resource([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"], Write),
            PolicyRule.Resource([""], ["serviceaccounts/token"], ["create"]),
            PolicyRule.Resource(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"], Write),
            PolicyRule.Resource(["autoscaling"], ["horizontalpodautoscalers"], Write),
            PolicyRule.Resource(["batch"], ["cronjobs", "jobs"], Write),
            PolicyRule.Resource(["policy"], ["poddisruptionbudgets"], Write),
            PolicyRule.Resource(["networking.k8s.io"], ["ingresses", "networkpolicies"], Write),
        ]);
        yield return Role("system:aggregate-to-view", ["view"],
        [
            PolicyRule.Resource([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status"], Read),
            PolicyRule.Resource([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status", "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], Read),
            PolicyRule.Resource([""], ["namespaces"], Read),
            PolicyRule.Resource(["discovery.k8s.io"], ["endpointslices"], Read),
            PolicyRule.Resource(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], Read),
            PolicyRule.Resource(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], Read),
            PolicyRule.Resource(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], Read),
            PolicyRule.Resource(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], Read),
            PolicyRule.Resource(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], Read),
        ]);
        // The double serves OpenShift's apps.openshift.io, so it has the rules OpenShift aggregates
        // into edit and view for DeploymentConfigs (system:openshift:aggregate-to-edit, -view).
        yield return Role("system:openshift:aggregate-to-edit", ["edit"],
            [PolicyRule.Resource(["apps.openshift.io"], ["deploymentconfigs", "deploymentconfigs/instantiate", "deploymentconfigs/rollback", "deploymentconfigs/scale"], All)]);
        yield return Role("system:openshift:aggregate-to-view", ["view"],
            [PolicyRule.Resource(["apps.openshift.io"], ["deploymentconfigs", "deploymentconfigs/log", "deploymentconfigs/scale", "deploymentconfigs/status"], Read)]);
        yield return Role("system:discovery", [],
            [PolicyRule.NonResource(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"], ["get"])]);
        yield return Role("system:public-info-viewer", [],
            [PolicyRule.NonResource(["/healthz", "/livez", "/readyz", "/version", "/version/"], ["get"])]);
        yield return Role("system:basic-user", [],
        [
            PolicyRule.Resource(["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
            PolicyRule.Resource(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"]),
        ]);
    }

    public static IEnumerable<JsonObject> ClusterRoleBindings()
    {
        yield return Binding("cluster-admin", "cluster-admin", "system:masters");
        yield return Binding("system:discovery", "system:discovery", "system:authenticated");
        yield return Binding("system:basic-user", "system:basic-user", "system:authenticated");
        yield return Binding("system:public-info-viewer", "system:public-info-viewer", "system:authenticated", "system:unauthenticated");
    }

    private static JsonObject Role(string name, string[] aggregatesTo, IEnumerable<PolicyRule> rules)
    {
        var role = new JsonObject
        {
            ["metadata"] = Metadata(name, aggregatesTo),
            ["rules"] = new JsonArray([.. rules.Select(rule => (JsonNode?)rule.ToJson())]),
        };
        return role;
    }

    private static JsonObject Aggregating(string name, string selects, string[] aggregatesTo) => new()
    {
        ["metadata"] = Metadata(name, aggregatesTo),
        ["aggregationRule"] = new JsonObject
        {
            ["clusterRoleSelectors"] = new JsonArray(new JsonObject
            {
                ["matchLabels"] = new JsonObject { [AggregateTo + selects] = "true" },
            }),
        },
        ["rules"] = new JsonArray(),
    };

    private static JsonObject Binding(string name, string role, params string[] groups) => new()
    {
        ["metadata"] = Metadata(name, []),
        ["roleRef"] = new JsonObject { ["apiGroup"] = "rbac.authorization.k8s.io", ["kind"] = "ClusterRole", ["name"] = role },
        ["subjects"] = new JsonArray([.. groups.Select(group => (JsonNode?)new JsonObject
        {
            ["apiGroup"] = "rbac.authorization.k8s.io",
            ["kind"] = "Group",
            ["name"] = group,
        })]),
    };

    private static JsonObject Metadata(string name, string[] aggregatesTo)
    {
        var labels = new JsonObject { ["kubernetes.io/bootstrapping"] = "rbac-defaults" };
        foreach (var target in aggregatesTo)
        {
            labels[AggregateTo + target] = "true";
        }

        return new JsonObject
        {
            ["name"] = name,
            ["labels"] = labels,
            ["annotations"] = new JsonObject { ["rbac.authorization.kubernetes.io/autoupdate"] = "true" },
        };
    }
}
