using System.Reflection;
using k8s;
using k8s.Models;
using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// Every `resourceNames` entry of every Role and ClusterRole rule of a rendered variant must name an
/// object of the rule's own resource type: a Lease the operator campaigns for, or an object of that
/// type that the render contains (the SCC the pods are admitted by). kustomize's name-reference
/// rules rewrite resourceNames that match a generated ConfigMap's name into its hashed name (issue
/// 12); such a name then belongs to another kind, which no API request of the operator would show
/// for an SCC, since OpenShift checks `use` at pod admission.
/// </summary>
public static class RuleResourceNames
{
    private const string LeaseGroup = "coordination.k8s.io";
    private const string Leases = "leases";

    /// <summary>How many names were checked, and what is wrong with those that fail.</summary>
    public static (int Checked, IReadOnlyList<string> Problems) Check(BuiltManifests manifests, OperatorLeases leases)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        ArgumentNullException.ThrowIfNull(leases);
        var objects = manifests.Objects.Select(Describe).ToList();
        var roles = manifests.All<V1Role>().Select(role => ($"Role {role.Metadata.NamespaceProperty}/{role.Metadata.Name}", (string?)role.Metadata.NamespaceProperty, role.Rules))
            .Concat(manifests.All<V1ClusterRole>().Select(role => ($"ClusterRole {role.Metadata.Name}", (string?)null, role.Rules ?? [])));
        var problems = new List<string>();
        var count = 0;
        foreach (var (role, roleNamespace, rules) in roles)
        {
            foreach (var rule in rules.Where(rule => rule.ResourceNames is { Count: > 0 }))
            {
                foreach (var group in rule.ApiGroups ?? [])
                {
                    foreach (var resource in rule.Resources ?? [])
                    {
                        var plural = resource.Split('/')[0];
                        foreach (var name in rule.ResourceNames)
                        {
                            count++;
                            var problem = Problem(group, plural, name, roleNamespace, objects, leases);
                            if (problem is not null)
                            {
                                problems.Add($"{manifests.Variant}: {role} limits {(group.Length == 0 ? "core" : group)}/{resource} to '{name}', {problem}");
                            }
                        }
                    }
                }
            }
        }

        return (count, problems);
    }

    private static string? Problem(string group, string plural, string name, string? roleNamespace, List<RenderedObject> objects, OperatorLeases leases)
    {
        if (group == "*" || plural == "*")
        {
            return "but a wildcard type leaves open what the name means";
        }

        bool ok;
        string expected;
        if (group == LeaseGroup && plural == Leases)
        {
            // The operator's Leases are created at run time, so the configuration, not the render, says which exist.
            ok = leases.Names.Contains(name) && (roleNamespace is null || roleNamespace == leases.Namespace);
            expected = $"a Lease the operator campaigns for ({string.Join(", ", leases.Names)} in {leases.Namespace})";
        }
        else
        {
            ok = objects.Any(item => item.Group == group && item.Plural == plural && item.Name == name && (roleNamespace is null || item.Namespace == roleNamespace));
            expected = $"an object of that type in the render{(roleNamespace is null ? "" : $" (namespace {roleNamespace})")}";
        }

        if (ok)
        {
            return null;
        }

        var namesake = objects.Where(item => item.Name == name && !(item.Group == group && item.Plural == plural)).Select(item => item.ToString()).ToList();
        return $"which is not {expected}"
            + (namesake.Count == 0 ? "; nothing in the render has that name" : $"; it is the name of {string.Join(", ", namesake)}");
    }

    private static RenderedObject Describe(object item)
    {
        var entity = item.GetType().GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{item.GetType().Name} has no KubernetesEntity attribute naming its resource type");
        var metadata = ((IMetadata<V1ObjectMeta>)item).Metadata;
        return new RenderedObject(entity.Group, entity.PluralName, entity.Kind, metadata.NamespaceProperty, metadata.Name);
    }

    private sealed record RenderedObject(string Group, string Plural, string Kind, string? Namespace, string Name)
    {
        public override string ToString() => $"the {Kind} {(Namespace is null ? "" : Namespace + "/")}{Name}";
    }
}
