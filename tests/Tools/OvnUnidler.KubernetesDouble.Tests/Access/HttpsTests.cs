using System.Net;
using System.Security.Authentication;
using System.Text;
using k8s;

namespace OvnUnidler.KubernetesDouble.Tests.Access;

/// <summary>The double over TLS: a serving certificate from its own CA, which its HTTPS kubeconfig carries.</summary>
public sealed class HttpsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_https_kubeconfig_verifies_the_server_by_the_doubles_ca_and_sends_the_token()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(api.HttpsKubeconfigFor(api.IssueServiceAccountToken("ovn-unidler", "ovn-unidler"))));
        using var client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(kubeconfig));

        var resources = await client.CoreV1.GetAPIResourcesAsync(Ct);

        Assert.Equal("https", api.HttpsAddress.Scheme);
        Assert.Contains(resources.Resources, resource => resource.Name == "services");
        var recorded = Assert.Single(api.Requests.Snapshot());
        Assert.Equal("system:serviceaccount:ovn-unidler:ovn-unidler", recorded.User!.Name);
    }

    [Fact]
    public async Task The_https_kubeconfig_for_a_further_listen_address_verifies_the_server_there()
    {
        // Any 127/8 address reaches the loopback interface on Linux: a stand-in for the lab's host link.
        var further = IPAddress.Parse("127.0.0.2");
        var options = new KubernetesApiDoubleOptions();
        options.ListenAddresses.Add(further);
        await using var api = await KubernetesApiDouble.StartAsync(options, Ct);
        var server = api.HttpsServerOn(further);
        using var kubeconfig = new MemoryStream(Encoding.UTF8.GetBytes(api.HttpsKubeconfigFor(api.IssueServiceAccountToken("ovn-unidler", "ovn-unidler"), server)));
        using var client = new Kubernetes(await KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(kubeconfig));

        var resources = await client.CoreV1.GetAPIResourcesAsync(Ct);

        Assert.Equal(("https", "127.0.0.2"), (server.Scheme, server.Host));
        Assert.Equal("http", api.ServerOn(further).Scheme);
        Assert.Contains(resources.Resources, resource => resource.Name == "services");
        Assert.Equal("system:serviceaccount:ovn-unidler:ovn-unidler", Assert.Single(api.Requests.Snapshot()).User!.Name);
    }

    [Fact]
    public async Task A_client_that_does_not_trust_the_doubles_ca_refuses_its_certificate()
    {
        await using var api = await KubernetesApiDouble.StartAsync(cancellationToken: Ct);
        using var http = new HttpClient { BaseAddress = api.HttpsAddress };

        var refused = await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync("api", Ct));

        Assert.IsType<AuthenticationException>(refused.InnerException);
        Assert.Empty(api.Requests.Snapshot());
    }
}
