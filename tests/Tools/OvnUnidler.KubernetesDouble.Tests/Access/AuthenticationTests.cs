using System.Net;
using System.Text.Json;
using k8s;
using OvnUnidler.KubernetesDouble.Authentication;

namespace OvnUnidler.KubernetesDouble.Tests.Access;

public sealed class AuthenticationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_bearer_token_is_401_with_an_unauthorized_status()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var http = AccessClients.Http(api, "not-a-token-the-double-issued");

        using var response = await http.GetAsync("api/v1/namespaces", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement;
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}""", status.GetRawText());
        var recorded = Assert.Single(api.Requests.Snapshot());
        Assert.Null(recorded.User);
        Assert.Equal(401, recorded.StatusCode);
    }

    [Fact]
    public async Task A_service_account_token_authenticates_as_the_account_with_its_groups()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var http = AccessClients.Http(api, api.IssueServiceAccountToken("ovn-unidler", "ovn-unidler"));

        using var response = await http.GetAsync("api", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = Assert.Single(api.Requests.Snapshot()).User!;
        Assert.Equal("system:serviceaccount:ovn-unidler:ovn-unidler", user.Name);
        Assert.Equal(["system:serviceaccounts", "system:serviceaccounts:ovn-unidler", "system:authenticated"], user.Groups);
    }

    [Fact]
    public async Task The_default_client_is_cluster_admin_through_system_masters()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var client = api.CreateClient();

        await client.CoreV1.ListNodeAsync(cancellationToken: Ct);

        var recorded = Assert.Single(api.Requests.Snapshot());
        Assert.Contains(UserInfo.Masters, recorded.User!.Groups);
        Assert.True(recorded.Authorization!.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"cluster-admin\" of ClusterRole \"cluster-admin\"", recorded.Authorization.Reason);
    }
}
