using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Entities;
using OvnUnidler.Idling.Waking;
using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class WakeLifecyclePipelineTests
{
    private const string Vip = "10.96.0.10:80";

    private static readonly Dictionary<string, string?> WriteMode = new() { ["Unidler:Backends"] = "Write" };

    [Fact]
    public async Task Mode_write_restores_backends_when_pods_become_ready_after_the_backends_timeout()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        environment.Api.ControllerManager.ReadyDelay = TimeSpan.FromSeconds(4);
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?>(WriteMode) { ["Unidler:BackendsTimeout"] = "00:00:01" });
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);

        await Eventually.TrueAsync(() => unidler.Metrics.BackendsTimeoutsCount == 1, "the wake's backends to time out");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row acknowledged at the deadline");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "the backends written once the pods are ready, after the wake gave up waiting");
    }

    [Fact]
    public async Task Mode_write_writes_backends_of_a_service_woken_by_the_wake_command()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        await using var unidler = await environment.StartOperatorAsync(WriteMode);
        await unidler.WaitUntilReadyAsync();

        var woken = await new ServiceWaker(environment.Client, TimeProvider.System).WakeAsync("shop", "web", WakeContext.Manual, TestContext.Current.CancellationToken);

        Assert.Equal(WakeStatus.Woken, woken.Status);
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "the backends written without any Controller_Event row");
    }

    [Fact]
    public async Task Mode_write_writes_backends_of_a_service_woken_by_an_idler_set_active()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        await using var unidler = await environment.StartOperatorAsync(WriteMode);
        await unidler.WaitUntilReadyAsync();

        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Active);

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "web") == 2, "the Idler to wake web");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "the backends written for the Idler's wake");
    }

    [Fact]
    public async Task Mode_write_writes_backends_in_a_second_zone_that_saw_no_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var southboundB = await environment.StartZoneSouthboundAsync("sb-b");
        var northboundB = await environment.StartZoneNorthboundAsync("nb-b");
        var loadBalancerA = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        var zoneB = new NorthboundRows(northboundB);
        var loadBalancerB = await zoneB.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        await using var unidlerA = await environment.StartOperatorAsync(WriteMode);
        await using var unidlerB = await environment.StartOperatorAsync(WriteMode, southboundB, northboundB);
        await unidlerA.WaitUntilReadyAsync();
        await unidlerB.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancerA);

        await Eventually.TrueAsync(async () => (await zoneB.VipsAsync(loadBalancerB))[Vip].Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "zone B's load balancer to get the backends of a wake zone A did");
        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancerA))[Vip].Length > 0, "zone A's backends");
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
    }

    [Fact]
    public async Task A_restarted_operator_process_finishes_the_wake_and_writes_the_backends_its_predecessor_never_wrote()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);
        var settings = environment.ProcessSettings(kubeconfig.Path);
        settings["Unidler__Backends"] = "Write";
        // No pods become ready while the first process runs: it scales, then waits.
        environment.Api.ControllerManager.Enabled = false;
        var first = OperatorProcess.Start(settings);
        try
        {
            await first.WaitUntilReadyAsync(Deadline.Long, TestContext.Current.CancellationToken);
            await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer);
            await Eventually.TrueAsync(() => environment.DeploymentScaleWrites("shop", "web") == 1, "the first process to scale web");
            await first.KillAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            await first.DisposeAsync();
        }

        Assert.Equal(string.Empty, (await environment.Northbound.VipsAsync(loadBalancer))[Vip]);
        environment.Api.ControllerManager.Enabled = true;
        await using var second = OperatorProcess.Start(settings);
        await second.WaitUntilReadyAsync(Deadline.Long, TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(async () => (await environment.Northbound.VipsAsync(loadBalancer))[Vip].Split(',', StringSplitOptions.RemoveEmptyEntries).Length == 2,
            "the restarted process to write the backends");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row acknowledged by the restarted process");
        Assert.DoesNotContain(IdledWorkloads.IdledAt, (await environment.Workloads.AnnotationsAsync("shop", "web")).Keys);
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
    }

    [Fact]
    public async Task Rows_of_an_awake_service_are_held_until_its_vip_has_backends_without_a_read_per_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2, idled: false);
        var loadBalancer = await environment.Northbound.AddLoadBalancerAsync("Service_shop/web_TCP_cluster", [Vip], owner: "shop/web");
        var nodes = new[] { await environment.Southbound.AddChassisAsync("node-a"), await environment.Southbound.AddChassisAsync("node-b") };
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?> { ["Unidler:BackendsTimeout"] = "00:05:00" });
        await unidler.WaitUntilReadyAsync();

        var first = await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer, chassis: nodes[0]);
        await Eventually.TrueAsync(() => unidler.Metrics.WakesCount(WakeOutcome.NotIdled) == 1, "the Service read and found awake");
        var second = await environment.Southbound.InsertEventAsync(Vip, loadBalancer: loadBalancer, chassis: nodes[1]);
        await Eventually.TrueAsync(() => unidler.Metrics.EventReceivedCount == 2, "the second row seen");

        Assert.Equal(new[] { first, second }.Order(), (await environment.Southbound.EventRowUuidsAsync()).Order());
        await environment.Northbound.SetBackendsAsync(loadBalancer, Vip, "10.244.0.5:8080,10.244.0.6:8080");

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "both rows acknowledged once the VIP has backends");
        Assert.Equal(1, environment.Api.Requests.Count(verb: "get", resource: "services", name: "web"));
    }

    [Fact]
    public async Task A_reporting_step_that_times_out_is_counted_and_the_operator_keeps_waking()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 80, replicas: 1);
        await using var unidler = await environment.StartOperatorAsync(configure: services => services.AddSingleton<IWakeObserver, TimingOutObserver>());
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip);
        await Eventually.TrueAsync(() => unidler.Metrics.ReportingFailuresCount(nameof(TimingOutObserver)) == 1, "the report to fail");
        await environment.Southbound.InsertEventAsync("10.96.0.11:80");

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "api") == 1, "the next wake, after the failed report");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "both rows acknowledged");
        Assert.Equal(2, unidler.Metrics.ReportingFailuresCount(nameof(TimingOutObserver)));
    }

    [Fact]
    public async Task A_target_refused_for_good_keeps_its_record_and_new_traffic_retries_it_at_most_once_per_period()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        environment.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", Name = "web", StatusCode = 403, Message = "quota forbids it" });
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip, seqNum: 1);
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row acknowledged");
        await environment.Southbound.InsertEventAsync(Vip, seqNum: 2);
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the next row acknowledged within the refusal period");

        Assert.Equal(1, environment.Api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale", statusCode: 403));
        var annotations = await environment.Workloads.AnnotationsAsync("shop", "web");
        Assert.Contains(IdledWorkloads.IdledAt, annotations.Keys);
        Assert.Contains("\"replicas\":2", annotations[IdledWorkloads.UnidleTargets], StringComparison.Ordinal);
        var refusal = Assert.Single(await Eventually.ValueAsync(() => environment.Workloads.EventsAsync("shop", RefusalEvent.Reason), events => events.Count > 0, "the WakeRefused event"));
        Assert.Contains("quota forbids it", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Idle_annotations_stay_until_the_pods_are_ready_and_unidled_at_is_renewed_where_someone_else_removed_them()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        environment.Api.ControllerManager.Enabled = false;
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?>
        {
            ["Unidler:BackendsTimeout"] = "00:05:00",
            ["Unidler:UnidleGraceRenewal"] = "00:00:01",
        });
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync(Vip);
        await Eventually.TrueAsync(() => environment.DeploymentScaleWrites("shop", "web") == 1, "web scaled");
        await Eventually.TrueAsync(async () => (await environment.Workloads.EventsAsync("shop", "NeedPods")).Count == 1, "NeedPods recorded");
        Assert.Contains(IdledWorkloads.IdledAt, (await environment.Workloads.AnnotationsAsync("shop", "web")).Keys);

        // OpenShift's unidling controller, acting on a NeedPods, removes the annotations itself; ovn-kubernetes stamps unidled-at.
        const string stale = "2020-01-01T00:00:00Z";
        var removal = new V1Patch(
            System.Text.Json.JsonSerializer.Serialize(new
            {
                metadata = new { annotations = new Dictionary<string, string?> { [IdledWorkloads.IdledAt] = null, [IdledWorkloads.UnidleTargets] = null, ["k8s.ovn.org/unidled-at"] = stale } },
            }),
            V1Patch.PatchType.MergePatch);
        await environment.Client.CoreV1.PatchNamespacedServiceAsync(removal, "web", "shop", cancellationToken: TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(async () => (await environment.Workloads.AnnotationsAsync("shop", "web"))["k8s.ovn.org/unidled-at"] != stale,
            "the waiting wake to renew k8s.ovn.org/unidled-at");
        Assert.Equal(1, await environment.Southbound.CountEventRowsAsync());
        environment.Api.ControllerManager.Enabled = true;
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row acknowledged once the pods are ready");
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Single(await environment.Workloads.EventsAsync("shop", "NeedPods"));
    }

    /// <summary>Fails as KubernetesClient does when its own request timeout expires.</summary>
    private sealed class TimingOutObserver : IWakeObserver
    {
        public Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken) =>
            Task.FromException(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout of 100 seconds elapsing."));
    }
}
