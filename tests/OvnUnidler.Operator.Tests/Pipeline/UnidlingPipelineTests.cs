using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class UnidlingPipelineTests
{
    [Fact]
    public async Task Wakes_deployment_to_recorded_replicas_and_deletes_the_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "web") == 3, "web scaled to 3");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");
        var annotations = await environment.Workloads.AnnotationsAsync("shop", "web");
        Assert.DoesNotContain(IdledWorkloads.IdledAt, annotations.Keys);
        Assert.DoesNotContain(IdledWorkloads.UnidleTargets, annotations.Keys);
        Assert.Contains("k8s.ovn.org/unidled-at", annotations.Keys);
        Assert.Single(await environment.Workloads.EventsAsync("shop", "NeedPods"));
        Assert.Equal(1, environment.Api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale", statusCode: 200)
            + environment.Api.Requests.Count(verb: "patch", resource: "deployments", subresource: "scale", statusCode: 200));
    }

    [Fact]
    public async Task Acknowledges_an_event_for_a_service_that_is_not_idled_without_scaling()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.20", 8080, replicas: 2, idled: false);
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.20:8080");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");
        Assert.Equal(1, unidler.Metrics.EventsHandledCount(EventOutcome.NotIdled));
        Assert.Equal(0, environment.Api.Requests.Count(resource: "deployments", subresource: "scale"));
    }

    [Fact]
    public async Task Acknowledges_an_unknown_vip_and_a_malformed_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventsAsync(
        [
            EventRow.For("10.99.99.99:80"),
            EventRow.For("not-a-vip"),
            new EventRow("empty_lb_backends", 3, null, new Dictionary<string, string> { ["vip"] = "10.0.0.1:80" }),
            EventRow.For("10.0.0.1:80", protocol: "icmp"),
            EventRow.For(new string('9', 5000)),
        ]);

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "every row deleted");
        Assert.Equal(1, unidler.Metrics.EventsHandledCount(EventOutcome.UnknownVip));
        Assert.Equal(4, unidler.Metrics.EventsHandledCount(EventOutcome.Malformed));
    }
}
