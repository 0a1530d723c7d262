using k8s;
using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class ApiFailurePipelineTests
{
    [Fact]
    public async Task A_target_already_scaled_by_someone_else_is_left_alone_and_the_row_deleted()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        var scale = await environment.Client.AppsV1.ReadNamespacedDeploymentScaleAsync("web", "shop", cancellationToken: TestContext.Current.CancellationToken);
        scale.Spec.Replicas = 5;
        await environment.Client.AppsV1.ReplaceNamespacedDeploymentScaleAsync(scale, "web", "shop", cancellationToken: TestContext.Current.CancellationToken);
        var writesBefore = environment.DeploymentScaleWrites("shop", "web");
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");
        Assert.Equal(5, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(writesBefore, environment.DeploymentScaleWrites("shop", "web"));
        var annotations = await environment.Workloads.AnnotationsAsync("shop", "web");
        Assert.DoesNotContain(IdledWorkloads.IdledAt, annotations.Keys);
        Assert.DoesNotContain(IdledWorkloads.UnidleTargets, annotations.Keys);
    }

    [Fact]
    public async Task A_conflict_on_the_first_scale_write_is_retried_with_a_fresh_read()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        var conflict = environment.Api.Faults.Add(new FaultRule
        {
            Verb = "update", Resource = "deployments", Subresource = "scale", StatusCode = 409, Times = 1,
        });
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");
        Assert.Equal(1, conflict.Hits);
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Equal(1, environment.Api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale", statusCode: 409));
    }

    [Fact]
    public async Task Nothing_is_acknowledged_while_the_api_server_fails_and_the_wake_completes_after()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();
        var outage = environment.Api.Faults.Add(new FaultRule { StatusCode = 503, Message = "apiserver is shutting down" });

        var row = await environment.Southbound.InsertEventAsync("10.96.0.10:80");

        await Eventually.TrueAsync(() => outage.Hits >= 3, "the operator to retry against the failing API server");
        Assert.Contains(row, await environment.Southbound.EventRowUuidsAsync());
        Assert.Equal(0, environment.DeploymentScaleWrites("shop", "web"));
        Assert.True(environment.Api.Faults.Remove(outage));

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted after the outage");
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
    }
}
