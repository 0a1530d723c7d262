namespace OvnUnidler.KubernetesDouble.Authentication;

// Who made a request, as an authenticator hands it to authorization ("Authenticating": a
// username and the groups the user belongs to). Every authenticated user is also in
// system:authenticated; a request without credentials is system:anonymous in system:unauthenticated.
public sealed record UserInfo(string Name, IReadOnlyList<string> Groups)
{
    public const string Authenticated = "system:authenticated";
    public const string Unauthenticated = "system:unauthenticated";
    public const string Masters = "system:masters";

    public static UserInfo Anonymous { get; } = new("system:anonymous", [Unauthenticated]);

    // The double's own set-up (tests, the demo): a member of system:masters, which the built-in
    // ClusterRoleBinding cluster-admin binds to cluster-admin.
    public static UserInfo ClusterAdmin { get; } = new("kubernetes-admin", [Masters, Authenticated]);

    // "Service account tokens": the username system:serviceaccount:NAMESPACE:NAME, in the groups
    // system:serviceaccounts and system:serviceaccounts:NAMESPACE.
    public static UserInfo ServiceAccount(string @namespace, string name) =>
        new($"system:serviceaccount:{@namespace}:{name}", ["system:serviceaccounts", $"system:serviceaccounts:{@namespace}", Authenticated]);

    // A user from some other authenticator (a client certificate, OIDC): the groups given, plus system:authenticated.
    public static UserInfo User(string name, params string[] groups) =>
        new(name, [.. groups.Where(group => group != Authenticated), Authenticated]);

    public override string ToString() => $"{Name} [{string.Join(", ", Groups)}]";
}
