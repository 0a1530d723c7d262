using System.Net;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Time.Testing;
using OvnUnidler.KubernetesDouble.Faults;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class FaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_conflict_fault_answers_its_count_then_requests_succeed()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Models.Deployment("web", 0), "shop", cancellationToken: Ct);
        var rule = api.Faults.Add(new FaultRule { Verb = "patch", Resource = "deployments", Subresource = "scale", StatusCode = 409, Times = 1 });
        var scaleUp = new V1Patch("""{"spec":{"replicas":1}}""", V1Patch.PatchType.MergePatch);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.Conflict, "Conflict",
            () => client.AppsV1.PatchNamespacedDeploymentScaleAsync(scaleUp, "web", "shop", cancellationToken: Ct));
        var scaled = await client.AppsV1.PatchNamespacedDeploymentScaleAsync(scaleUp, "web", "shop", cancellationToken: Ct);

        Assert.Equal(1, scaled.Spec.Replicas);
        Assert.Equal(1, rule.Hits);
        Assert.Empty(api.Faults.Rules);
        Assert.Same(rule, api.Requests.Filter(verb: "patch", subresource: "scale", statusCode: 409).Single().Fault);
    }

    [Fact]
    public async Task Too_many_requests_carries_retry_after_in_seconds()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        api.Faults.Add(new FaultRule { Resource = "services", StatusCode = 429, RetryAfter = TimeSpan.FromMilliseconds(1500) });
        using var http = DoubleWithNamespaces.AdminHttp(api);

        using var response = await http.GetAsync("api/v1/namespaces/shop/services", Ct);
        await ApiFailures.ExpectStatusAsync((HttpStatusCode)429, "TooManyRequests",
            () => api.CreateClient().CoreV1.ListNamespacedServiceAsync("shop", cancellationToken: Ct));

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task An_internal_error_fault_lasts_until_removed()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var rule = api.Faults.Add(new FaultRule { Verb = "create", Resource = "events", StatusCode = 500 });
        var evt = new Corev1Event { Metadata = new V1ObjectMeta { Name = "e" }, InvolvedObject = new V1ObjectReference { Kind = "Service", Name = "web" }, Reason = "NeedPods" };

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await ApiFailures.ExpectStatusAsync(HttpStatusCode.InternalServerError, "InternalError",
                () => client.CoreV1.CreateNamespacedEventAsync(evt, "shop", cancellationToken: Ct));
        }

        Assert.True(api.Faults.Remove(rule));
        await client.CoreV1.CreateNamespacedEventAsync(evt, "shop", cancellationToken: Ct);
        Assert.Equal(2, rule.Hits);
    }

    [Fact]
    public async Task Unavailable_fault_applies_only_to_its_namespace_and_name()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("web"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedServiceAsync(Models.Service("api", "api"), "shop", cancellationToken: Ct);
        api.Faults.Add(new FaultRule { Namespace = "shop", Name = "web", StatusCode = 503 });

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable",
            () => client.CoreV1.ReadNamespacedServiceAsync("web", "shop", cancellationToken: Ct));
        var other = await client.CoreV1.ReadNamespacedServiceAsync("api", "shop", cancellationToken: Ct);

        Assert.Equal("api", other.Metadata.Name);
    }

    [Fact]
    public async Task A_hung_request_makes_the_client_time_out_and_is_journaled()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var rule = api.Faults.Add(new FaultRule { Verb = "get", Resource = "services", Hang = true });
        var impatient = api.ClientConfiguration;
        impatient.HttpClientTimeout = TimeSpan.FromMilliseconds(300);
        using var client = new Kubernetes(impatient);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CoreV1.ReadNamespacedServiceAsync("web", "shop", cancellationToken: Ct));
        var recorded = await api.Requests.WaitForAsync(r => r.Fault == rule, TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(504, recorded.StatusCode);
        Assert.True(recorded.Duration >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task Removing_a_hang_rule_releases_the_held_request_with_504()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var rule = api.Faults.Add(new FaultRule { Verb = "list", Resource = "services", Hang = true });

        var held = client.CoreV1.ListNamespacedServiceAsync("shop", cancellationToken: Ct);
        await Eventually.ValueAsync(() => Task.FromResult(rule.Hits), hits => hits == 1, "the fault rule hit once", TimeSpan.FromSeconds(10));
        api.Faults.Remove(rule);

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.GatewayTimeout, "Timeout", () => held.WaitAsync(TimeSpan.FromSeconds(10), Ct));
    }

    [Fact]
    public async Task A_delay_fault_answers_late_but_normally()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        api.Faults.Add(new FaultRule { Verb = "create", Delay = TimeSpan.FromMilliseconds(300), Times = 1 });

        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(Models.ConfigMap("late"), "shop", cancellationToken: Ct);

        Assert.Equal("late", created.Metadata.Name);
        Assert.True(api.Requests.Filter(verb: "create").Single().Duration >= TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public async Task A_fault_ends_at_its_until_time_on_the_doubles_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { TimeProvider = clock, EnableControllerManager = false }, Ct);
        var client = api.CreateClient();
        api.Faults.Add(new FaultRule { Resource = "configmaps", StatusCode = 503, Until = clock.GetUtcNow().AddMinutes(1) });

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.ServiceUnavailable, "ServiceUnavailable",
            () => client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct));
        clock.Advance(TimeSpan.FromMinutes(2));
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("shop", cancellationToken: Ct);

        Assert.Empty(list.Items);
    }

    [Fact]
    public async Task A_rule_without_an_effect_is_refused()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(new KubernetesApiDoubleOptions { EnableControllerManager = false }, Ct);

        Assert.Throws<ArgumentException>(() => api.Faults.Add(new FaultRule { Verb = "get" }));
        Assert.Throws<ArgumentException>(() => api.Faults.Add(new FaultRule { StatusCode = 200 }));
    }
}
