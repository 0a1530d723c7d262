namespace OvnUnidler.Deploy.Tests.Rbac;

/// <summary>
/// One thing RBAC allows, flattened from a rule: a verb on (group, resource, subresource), in one
/// namespace (null: every namespace, from a ClusterRoleBinding) and on one name (null: any name).
/// The fields are those of the API double's RecordedRequest, so requests compare directly.
/// </summary>
public sealed record RbacPermission(string Group, string Resource, string? Subresource, string Verb, string? Namespace = null, string? ResourceName = null)
{
    public bool Allows(string verb, string group, string resource, string? subresource, string? @namespace, string? name) =>
        Verb == verb && Group == group && Resource == resource && Subresource == subresource
        && (Namespace is null || Namespace == @namespace)
        // A rule limited to names never matches a request without one (list, watch, create).
        && (ResourceName is null || (name is not null && ResourceName == name));

    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "core" : Group)}/{Resource}{(Subresource is null ? "" : "/" + Subresource)}"
        + $"{(Namespace is null ? "" : " in " + Namespace)}{(ResourceName is null ? "" : " named " + ResourceName)}";
}
