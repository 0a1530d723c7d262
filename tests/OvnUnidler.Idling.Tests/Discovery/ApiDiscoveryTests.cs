using OvnUnidler.Idling.Discovery;
using OvnUnidler.Idling.Tests.Fixtures;

namespace OvnUnidler.Idling.Tests.Discovery;

public sealed class ApiDiscoveryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Finds_the_resource_and_scale_subresource_of_built_in_openshift_and_custom_kinds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateScalableDefinitionAsync("argoproj.io", "Rollout", "rollouts");
        await cluster.CreateScalableDefinitionAsync("example.com", "Widget", "widgets", withScale: false);
        var discovery = new ApiDiscovery(cluster.Api.CreateClient(), cluster.Time);

        Assert.Equal(new ApiResource("apps", "v1", "deployments", "Deployment", true, true), await discovery.FindAsync("apps", "Deployment", ct).WaitAsync(Deadline, ct));
        Assert.Equal(new ApiResource("", "v1", "replicationcontrollers", "ReplicationController", true, true), await discovery.FindAsync("", "ReplicationController", ct).WaitAsync(Deadline, ct));
        Assert.Equal(new ApiResource("apps.openshift.io", "v1", "deploymentconfigs", "DeploymentConfig", true, true), await discovery.FindAsync("apps.openshift.io", "DeploymentConfig", ct).WaitAsync(Deadline, ct));
        Assert.Equal(new ApiResource("argoproj.io", "v1alpha1", "rollouts", "Rollout", true, true), await discovery.FindAsync("argoproj.io", "Rollout", ct).WaitAsync(Deadline, ct));
        Assert.Equal(new ApiResource("example.com", "v1alpha1", "widgets", "Widget", true, false), await discovery.FindAsync("example.com", "Widget", ct).WaitAsync(Deadline, ct));
        Assert.Equal(new ApiResource("", "v1", "configmaps", "ConfigMap", true, false), await discovery.FindAsync("", "ConfigMap", ct).WaitAsync(Deadline, ct));
        Assert.Null(await discovery.FindAsync("batch", "CronJob", ct).WaitAsync(Deadline, ct));
        Assert.Null(await discovery.FindAsync("apps", "Rollout", ct).WaitAsync(Deadline, ct));
    }

    [Fact]
    public async Task Answers_are_kept_for_their_lifetime_so_a_kind_installed_after_a_miss_is_found_once_it_passed()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        var discovery = new ApiDiscovery(cluster.Api.CreateClient(), cluster.Time);
        Assert.Null(await discovery.FindAsync("argoproj.io", "Rollout", ct).WaitAsync(Deadline, ct));
        await discovery.FindAsync("apps", "Deployment", ct).WaitAsync(Deadline, ct);
        await cluster.CreateScalableDefinitionAsync("argoproj.io", "Rollout", "rollouts");
        var asked = cluster.Api.Requests.Count();

        var beforeExpiry = await discovery.FindAsync("argoproj.io", "Rollout", ct).WaitAsync(Deadline, ct);
        await discovery.FindAsync("apps", "Deployment", ct).WaitAsync(Deadline, ct);
        var askedAgain = cluster.Api.Requests.Count();
        cluster.Time.Advance(ApiDiscovery.Lifetime);
        var afterExpiry = await discovery.FindAsync("argoproj.io", "Rollout", ct).WaitAsync(Deadline, ct);

        Assert.Null(beforeExpiry);
        Assert.Equal(asked, askedAgain);
        Assert.Equal("rollouts", afterExpiry?.Plural);
    }
}
