using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Authorization;

// The RBAC authorizer ("Using RBAC Authorization"): a request is allowed when a rule of a role
// bound to the user, one of its groups or its service account matches it. ClusterRoleBindings
// grant their ClusterRole everywhere; RoleBindings grant a Role of their namespace, or a
// ClusterRole, in their namespace only. Permissions are purely additive: there is no deny rule.
//
// It also plays kube-controller-manager's clusterrole-aggregation controller: a ClusterRole with an
// aggregationRule holds the union of the rules of every ClusterRole its selectors match, written
// back into its rules when they change, and used at once for decisions.
internal sealed class RbacAuthorizer(ResourceRegistry registry)
{
    private const string Group = "rbac.authorization.k8s.io";

    private readonly ResourceType clusterRoles = registry.Catalog.Find(Group, "v1", "clusterroles")!;
    private readonly ResourceType roles = registry.Catalog.Find(Group, "v1", "roles")!;
    private readonly ResourceType clusterRoleBindings = registry.Catalog.Find(Group, "v1", "clusterrolebindings")!;
    private readonly ResourceType roleBindings = registry.Catalog.Find(Group, "v1", "rolebindings")!;
    private readonly Lock gate = new();
    private (int Count, long Version) cachedFingerprint = (-1, -1);
    private RbacPolicy cached = RbacPolicy.Empty;

    public AuthorizationDecision Authorize(UserInfo user, RequestAttributes request)
    {
        foreach (var rule in RulesFor(Policy(), user, request.IsResourceRequest ? request.Namespace : null, everyNamespace: false))
        {
            if (rule.Allows(request))
            {
                return new AuthorizationDecision(true, rule);
            }
        }

        return AuthorizationDecision.Deny;
    }

    // Every rule bound to the user, through any binding in any namespace.
    public IReadOnlyList<BoundRule> BoundRules(UserInfo user) => [.. RulesFor(Policy(), user, null, everyNamespace: true)];

    private static IEnumerable<BoundRule> RulesFor(RbacPolicy policy, UserInfo user, string? @namespace, bool everyNamespace)
    {
        foreach (var binding in policy.ClusterRoleBindings.Where(binding => binding.Binds(user)))
        {
            if (binding.RoleRefKind == "ClusterRole" && policy.ClusterRoles.TryGetValue(binding.RoleRefName, out var role))
            {
                foreach (var (rule, index) in role.EffectiveRules.Select((rule, index) => (rule, index)))
                {
                    yield return new BoundRule("ClusterRoleBinding", null, binding.Name, "ClusterRole", role.Name, index, rule);
                }
            }
        }

        foreach (var binding in policy.RoleBindings.Where(binding => (everyNamespace || binding.Namespace == @namespace) && binding.Binds(user)))
        {
            IReadOnlyList<PolicyRule> rules = binding.RoleRefKind switch
            {
                "ClusterRole" when policy.ClusterRoles.TryGetValue(binding.RoleRefName, out var clusterRole) => clusterRole.EffectiveRules,
                "Role" when policy.Roles.TryGetValue((binding.Namespace!, binding.RoleRefName), out var role) => role,
                _ => [],
            };
            foreach (var (rule, index) in rules.Select((rule, index) => (rule, index)))
            {
                yield return new BoundRule("RoleBinding", binding.Namespace, binding.Name, binding.RoleRefKind, binding.RoleRefName, index, rule);
            }
        }
    }

    // The policy as stored now; rebuilt only when an RBAC object changed.
    private RbacPolicy Policy()
    {
        var (fingerprint, objects) = registry.Transact(tx =>
        {
            var all = new[] { clusterRoles, roles, clusterRoleBindings, roleBindings }
                .Select(type => (Type: type, Items: registry.ListLocked(tx, type, null).ToList()))
                .ToList();
            var items = all.SelectMany(entry => entry.Items).ToList();
            return ((items.Count, items.Count == 0 ? 0 : items.Max(item => item.ResourceVersion)), all);
        });
        lock (gate)
        {
            if (fingerprint == cachedFingerprint)
            {
                return cached;
            }
        }

        var policy = RbacPolicy.Build(
            objects[0].Items.Select(item => item.ToNode()),
            objects[1].Items.Select(item => item.ToNode()),
            objects[2].Items.Select(item => item.ToNode()),
            objects[3].Items.Select(item => item.ToNode()));
        if (WriteAggregatedRules(policy))
        {
            // The write-back changed the store; the next decision reads the new fingerprint.
            return policy;
        }

        lock (gate)
        {
            cachedFingerprint = fingerprint;
            cached = policy;
        }

        return policy;
    }

    private bool WriteAggregatedRules(RbacPolicy policy)
    {
        var wrote = false;
        foreach (var role in policy.ClusterRoles.Values.Where(role => role.Selectors.Count > 0 && !role.StoredRules.SequenceEqual(role.EffectiveRules)))
        {
            var body = role.Json.DeepClone().AsObject();
            body["rules"] = new JsonArray([.. role.EffectiveRules.Select(rule => (JsonNode?)rule.ToJson())]);
            wrote |= registry.Update(clusterRoles, "", role.Name, body, statusOnly: false).IsSuccess;
        }

        return wrote;
    }

    private sealed record Binding(string? Namespace, string Name, string RoleRefKind, string RoleRefName, IReadOnlyList<(string Kind, string Name, string? Namespace)> Subjects)
    {
        public bool Binds(UserInfo user) => Subjects.Any(subject => subject.Kind switch
        {
            "User" => subject.Name == user.Name,
            "Group" => user.Groups.Contains(subject.Name),
            "ServiceAccount" => user.Name == $"system:serviceaccount:{subject.Namespace ?? Namespace}:{subject.Name}",
            _ => false,
        });

        public static Binding FromJson(JsonObject obj)
        {
            var roleRef = JsonAccess.Object(obj, "roleRef");
            var subjects = (obj["subjects"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(subject => (JsonAccess.String(subject, "kind") ?? "", JsonAccess.String(subject, "name") ?? "", JsonAccess.String(subject, "namespace") is { Length: > 0 } ns ? ns : null))
                .ToList();
            var @namespace = ObjectMetadata.Namespace(obj);
            return new Binding(@namespace.Length == 0 ? null : @namespace, ObjectMetadata.Name(obj),
                JsonAccess.String(roleRef, "kind") ?? "", JsonAccess.String(roleRef, "name") ?? "", subjects);
        }
    }

    private sealed record ClusterRole(string Name, JsonObject Json, IReadOnlyDictionary<string, string> Labels, IReadOnlyList<PolicyRule> StoredRules, IReadOnlyList<LabelSelector> Selectors)
    {
        public IReadOnlyList<PolicyRule> EffectiveRules { get; set; } = [];
    }

    private sealed record RbacPolicy(
        IReadOnlyDictionary<string, ClusterRole> ClusterRoles,
        IReadOnlyDictionary<(string Namespace, string Name), IReadOnlyList<PolicyRule>> Roles,
        IReadOnlyList<Binding> ClusterRoleBindings,
        IReadOnlyList<Binding> RoleBindings)
    {
        public static RbacPolicy Empty { get; } = new(new Dictionary<string, ClusterRole>(), new Dictionary<(string, string), IReadOnlyList<PolicyRule>>(), [], []);

        public static RbacPolicy Build(IEnumerable<JsonObject> clusterRoles, IEnumerable<JsonObject> roles, IEnumerable<JsonObject> clusterRoleBindings, IEnumerable<JsonObject> roleBindings)
        {
            var byName = new SortedDictionary<string, ClusterRole>(StringComparer.Ordinal);
            foreach (var obj in clusterRoles)
            {
                var selectors = (JsonAccess.Object(obj, "aggregationRule")?["clusterRoleSelectors"] as JsonArray ?? [])
                    .OfType<JsonObject>()
                    .Select(LabelSelector.FromLabelSelectorObject)
                    .OfType<LabelSelector>()
                    .ToList();
                var role = new ClusterRole(ObjectMetadata.Name(obj), obj, ObjectMetadata.Labels(obj), Rules(obj), selectors);
                byName[role.Name] = role;
            }

            foreach (var role in byName.Values)
            {
                role.EffectiveRules = Aggregate(role, byName, []);
            }

            return new RbacPolicy(
                byName,
                roles.ToDictionary(obj => (ObjectMetadata.Namespace(obj), ObjectMetadata.Name(obj)), Rules),
                [.. clusterRoleBindings.Select(Binding.FromJson)],
                [.. roleBindings.Select(Binding.FromJson)]);
        }

        // The aggregation controller's union: the rules of every other ClusterRole a selector
        // matches, in name order, each rule once. Aggregated roles can feed others (view into edit,
        // edit into admin), so their own union is what they contribute.
        private static IReadOnlyList<PolicyRule> Aggregate(ClusterRole role, SortedDictionary<string, ClusterRole> all, HashSet<string> visiting)
        {
            if (role.Selectors.Count == 0)
            {
                return role.StoredRules;
            }

            if (!visiting.Add(role.Name))
            {
                return role.StoredRules;
            }

            var rules = new List<PolicyRule>();
            foreach (var other in all.Values.Where(other => other.Name != role.Name && role.Selectors.Any(selector => selector.Matches(other.Labels))))
            {
                foreach (var rule in Aggregate(other, all, visiting))
                {
                    if (!rules.Contains(rule))
                    {
                        rules.Add(rule);
                    }
                }
            }

            visiting.Remove(role.Name);
            return rules;
        }

        private static IReadOnlyList<PolicyRule> Rules(JsonObject obj) =>
            [.. (obj["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(PolicyRule.FromJson)];
    }
}
