using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Scaling;
using OvnUnidler.Idling.Tests.Fixtures;
using OvnUnidler.Idling.Waking;
using OvnUnidler.KubernetesDouble.Faults;

namespace OvnUnidler.Idling.Tests.Waking;

public sealed class ServiceWakerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static Dictionary<string, string> Idled(string targets) => new()
    {
        [IdleAnnotations.IdledAt] = "2025-06-07T07:00:00Z",
        [IdleAnnotations.UnidleTargets] = targets,
    };

    private static async Task<TestCluster> ClusterWithIdledWebAsync(CancellationToken cancellationToken, string targets = """[{"kind":"Deployment","name":"web","group":"apps","replicas":3}]""")
    {
        var cluster = await TestCluster.StartAsync(cancellationToken);
        await cluster.CreateServiceAsync("web", "web", Idled(targets));
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 0);
        return cluster;
    }

    [Fact]
    public async Task Wakes_deployment_to_recorded_replicas_clears_annotations_and_records_need_pods()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, result.Status);
        Assert.Equal((TargetWakeOutcome.ScaledUp, 3), (Assert.Single(result.Targets).Outcome, result.Targets[0].Replicas));
        Assert.Equal(3, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        var annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.DoesNotContain(IdleAnnotations.IdledAt, annotations.Keys);
        Assert.DoesNotContain(IdleAnnotations.UnidleTargets, annotations.Keys);
        Assert.Equal("2025-06-07T08:09:10Z", annotations[IdleAnnotations.OvnUnidledAt]);
        var needPods = Assert.Single(await cluster.EventsAsync());
        Assert.Equal(("NeedPods", "The service web needs pods", "Normal"), (needPods.Reason, needPods.Message, needPods.Type));
        Assert.Equal(("Service", "web", "v1"), (needPods.InvolvedObject.Kind, needPods.InvolvedObject.Name, needPods.InvolvedObject.ApiVersion));
        Assert.Equal(("ovn-unidler", "test-node"), (needPods.Source.Component, needPods.Source.Host));
        Assert.Equal(1, cluster.AcceptedScaleWrites("deployments"));
    }

    [Fact]
    public async Task Waking_a_woken_service_again_reports_not_idled_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);
        var waker = cluster.Waker();
        await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);
        var writes = cluster.Writes();

        var again = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.NotIdled, again.Status);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task A_target_someone_already_scaled_up_is_left_alone_and_never_scaled_down()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"Deployment","name":"api","group":"apps","replicas":3}]""");
        await cluster.CreateAsync(ScalableKind.Deployment, "api", "web", 5);

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, result.Status);
        Assert.Equal(
            [("web", TargetWakeOutcome.ScaledUp, (int?)3), ("api", TargetWakeOutcome.AlreadyRunning, 5)],
            result.Targets.Select(target => (target.Target.Name, target.Outcome, target.Replicas)));
        Assert.Equal(5, await cluster.ReplicasAsync(ScalableKind.Deployment, "api"));
        Assert.Equal(0, cluster.AcceptedScaleWrites("deployments", "api"));
        Assert.Equal(1, cluster.AcceptedScaleWrites("deployments", "web"));
    }

    [Fact]
    public async Task Every_target_already_running_is_already_awake_clears_annotations_and_records_no_event()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web", Idled("""[{"kind":"Deployment","name":"web","group":"apps","replicas":3}]"""));
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 2);

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.AlreadyAwake, result.Status);
        Assert.Equal(2, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
        Assert.Empty(await cluster.EventsAsync());
    }

    [Fact]
    public async Task A_conflict_on_the_first_scale_attempt_is_read_again_and_then_succeeds()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);
        cluster.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", StatusCode = 409, Times = 1 });

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, result.Status);
        Assert.Equal(2, cluster.Api.Requests.Count(verb: "get", resource: "deployments", subresource: "scale"));
        Assert.Equal(1, cluster.Api.Requests.Count(verb: "update", resource: "deployments", subresource: "scale", statusCode: 409));
        Assert.Equal(1, cluster.AcceptedScaleWrites("deployments"));
        Assert.Equal(3, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
    }

    [Fact]
    public async Task Server_errors_return_retry_after_and_the_next_call_finishes_without_scaling_twice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);
        var outage = cluster.Api.Faults.Add(new FaultRule { Resource = "deployments", Subresource = "scale", StatusCode = 500 });
        var waker = cluster.Waker();

        var during = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.RetryAfter, during.Status);
        Assert.Equal(TimeSpan.FromSeconds(2), during.Delay);
        Assert.Contains("500", during.Reason, StringComparison.Ordinal);
        Assert.Equal(TargetWakeOutcome.Failed, Assert.Single(during.Targets).Outcome);
        Assert.True(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));

        cluster.Api.Faults.Remove(outage);
        var after = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, after.Status);
        Assert.Equal(3, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        Assert.Equal(1, cluster.AcceptedScaleWrites("deployments"));
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
    }

    [Fact]
    public async Task Too_many_requests_honours_retry_after()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);
        cluster.Api.Faults.Add(new FaultRule { Verb = "get", Resource = "services", StatusCode = 429, RetryAfter = TimeSpan.FromSeconds(7), Times = 1 });

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.RetryAfter, result.Status);
        Assert.Equal(TimeSpan.FromSeconds(7), result.Delay);
    }

    [Fact]
    public async Task A_partly_failed_wake_keeps_the_annotations_and_the_next_call_wakes_the_rest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"Deployment","name":"api","group":"apps","replicas":2}]""");
        await cluster.CreateAsync(ScalableKind.Deployment, "api", "web", 0);
        var outage = cluster.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", Name = "api", StatusCode = 503 });
        var waker = cluster.Waker();

        var first = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.RetryAfter, first.Status);
        Assert.Equal([TargetWakeOutcome.ScaledUp, TargetWakeOutcome.Failed], first.Targets.Select(target => target.Outcome));
        Assert.True(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));

        cluster.Api.Faults.Remove(outage);
        var second = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, second.Status);
        Assert.Equal([TargetWakeOutcome.AlreadyRunning, TargetWakeOutcome.ScaledUp], second.Targets.Select(target => target.Outcome));
        Assert.Equal((3, 2), (await cluster.ReplicasAsync(ScalableKind.Deployment, "web"), await cluster.ReplicasAsync(ScalableKind.Deployment, "api")));
        Assert.Equal((1, 1), (cluster.AcceptedScaleWrites("deployments", "web"), cluster.AcceptedScaleWrites("deployments", "api")));
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
        Assert.Single(await cluster.EventsAsync(), evt => evt.Reason == "NeedPods");
    }

    [Fact]
    public async Task A_request_that_hangs_times_out_as_a_transient_failure()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);
        cluster.Api.Faults.Add(new FaultRule { Verb = "get", Resource = "deployments", Subresource = "scale", Hang = true, Times = 1 });
        var waker = cluster.Waker(TimeProvider.System, new IdlingOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });

        var hung = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);
        var next = await waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.RetryAfter, hung.Status);
        Assert.Contains("did not answer within 0.3s", hung.Reason, StringComparison.Ordinal);
        Assert.Equal(WakeStatus.Woken, next.Status);
        Assert.Equal(1, cluster.AcceptedScaleWrites("deployments"));
    }

    [Fact]
    public async Task Racing_wakers_scale_each_target_up_exactly_once()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"StatefulSet","name":"db","group":"apps","replicas":2}]""");
        await cluster.CreateAsync(ScalableKind.StatefulSet, "db", "web", 0);
        // Hold the first read of each scale until every racer has made it, then answer them all at
        // once: every racer reads replicas 0 before any writes, however the machine schedules them.
        var heldDeployments = new FaultRule { Verb = "get", Resource = "deployments", Subresource = "scale", Delay = TimeSpan.FromMinutes(5), Times = 4 };
        var heldStatefulSets = new FaultRule { Verb = "get", Resource = "statefulsets", Subresource = "scale", Delay = TimeSpan.FromMinutes(5), Times = 4 };
        cluster.Api.Faults.Add(heldDeployments);
        cluster.Api.Faults.Add(heldStatefulSets);
        var wakers = Enumerable.Range(0, 4).Select(_ => cluster.Waker(TimeProvider.System, new IdlingOptions { RequestTimeout = TimeSpan.FromMinutes(1) })).ToList();

        var racing = Task.WhenAll(wakers.Select(waker => waker.WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct)));
        await Eventually.TrueAsync(() => heldDeployments.Hits == 4, "every racer to read the Deployment's scale");
        cluster.Api.Faults.Remove(heldDeployments);
        await Eventually.TrueAsync(() => heldStatefulSets.Hits == 4, "every racer to read the StatefulSet's scale");
        cluster.Api.Faults.Remove(heldStatefulSets);
        var results = await racing.WaitAsync(Deadline, ct);

        Assert.All(results, result => Assert.Contains(result.Status, new[] { WakeStatus.Woken, WakeStatus.AlreadyAwake, WakeStatus.NotIdled }));
        Assert.Contains(results, result => result.Status == WakeStatus.Woken);
        Assert.Equal((1, 1), (cluster.AcceptedScaleWrites("deployments", "web"), cluster.AcceptedScaleWrites("statefulsets", "db")));
        Assert.True(cluster.Api.Requests.Count(verb: "update", subresource: "scale", statusCode: 409) > 0, "the racers never collided; the test proves nothing");
        Assert.Equal(1, results.Sum(result => result.ScaledUp.Count(target => target.Target.Name == "web")));
        Assert.Equal(1, results.Sum(result => result.ScaledUp.Count(target => target.Target.Name == "db")));
        Assert.Equal((3, 2), (await cluster.ReplicasAsync(ScalableKind.Deployment, "web"), await cluster.ReplicasAsync(ScalableKind.StatefulSet, "db")));
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
    }

    [Theory]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":3}""", "is not valid JSON")]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":-1}]""", "replicas cannot be negative")]
    [InlineData("""[{"kind":"CronJob","name":"web","replicas":1}]""", "has kind CronJob, which cannot be woken")]
    public async Task Broken_annotations_are_terminal_with_the_reason_and_nothing_changes(string targets, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, targets);
        var writes = cluster.Writes();

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Terminal, result.Status);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Contains(IdleAnnotations.UnidleTargets, result.Reason, StringComparison.Ordinal);
        Assert.Equal(writes, cluster.Writes());
        Assert.Equal(0, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        Assert.Equal(targets, (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
    }

    [Fact]
    public async Task A_service_that_is_not_idled_or_does_not_exist_is_not_touched()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("plain", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 0);
        var writes = cluster.Writes();

        var plain = await cluster.Waker().WakeAsync(TestCluster.Namespace, "plain", WakeContext.Manual, ct).WaitAsync(Deadline, ct);
        var missing = await cluster.Waker().WakeAsync(TestCluster.Namespace, "missing", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.NotIdled, plain.Status);
        Assert.Equal(WakeStatus.Terminal, missing.Status);
        Assert.Equal("Service default/missing does not exist", missing.Reason);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task A_missing_target_is_terminal_for_itself_only()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, """[{"kind":"Deployment","name":"gone","group":"apps","replicas":2},{"kind":"Deployment","name":"web","group":"apps","replicas":3}]""");

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, result.Status);
        Assert.Equal([TargetWakeOutcome.NotFound, TargetWakeOutcome.ScaledUp], result.Targets.Select(target => target.Outcome));
        Assert.Contains("Deployment/gone does not exist", result.Reason, StringComparison.Ordinal);
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
    }

    [Fact]
    public async Task When_no_target_exists_the_wake_is_terminal_and_the_stale_record_is_cleared()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web", Idled("""[{"kind":"Deployment","name":"gone","group":"apps","replicas":2}]"""));

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Terminal, result.Status);
        Assert.Contains("no target of Service default/web could be woken", result.Reason, StringComparison.Ordinal);
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
        Assert.Empty(await cluster.EventsAsync());
    }

    [Fact]
    public async Task Deployment_config_with_previous_scale_wakes_from_ovn_idled_at_alone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web", new Dictionary<string, string> { [IdleAnnotations.OvnIdledAt] = "2025-06-07T07:00:00Z" });
        await cluster.CreateAsync(ScalableKind.DeploymentConfig, "web", "web", 0, new Dictionary<string, string>
        {
            [IdleAnnotations.PreviousScale] = "2",
            [IdleAnnotations.IdledAt] = "2025-06-07T07:00:00Z",
        });
        await cluster.CreateAsync(ScalableKind.Deployment, "other", "other", 0);

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, result.Status);
        var target = Assert.Single(result.Targets);
        Assert.Equal((ScalableKind.DeploymentConfig, "web", 2), (target.Target.Scalable, target.Target.Name, target.Replicas));
        Assert.Equal(2, await cluster.ReplicasAsync(ScalableKind.DeploymentConfig, "web"));
        Assert.Equal(0, await cluster.ReplicasAsync(ScalableKind.Deployment, "other"));
        var annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.DoesNotContain(IdleAnnotations.OvnIdledAt, annotations.Keys);
        Assert.Contains(IdleAnnotations.OvnUnidledAt, annotations.Keys);
        var dc = await cluster.AnnotationsAsync(ScalableKind.DeploymentConfig, "web");
        Assert.DoesNotContain(IdleAnnotations.PreviousScale, dc.Keys);
        Assert.DoesNotContain(IdleAnnotations.IdledAt, dc.Keys);
    }

    [Fact]
    public async Task Idled_at_without_targets_or_previous_scale_is_terminal_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web", new Dictionary<string, string> { [IdleAnnotations.OvnIdledAt] = "2025-06-07T07:00:00Z" });
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 0);
        var writes = cluster.Writes();

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Terminal, result.Status);
        Assert.Contains($"has no {IdleAnnotations.UnidleTargets}", result.Reason, StringComparison.Ordinal);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task A_target_refused_for_good_keeps_its_entry_and_replicas_while_the_others_wake()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"Deployment","name":"api","group":"apps","replicas":2}]""");
        await cluster.CreateAsync(ScalableKind.Deployment, "api", "web", 0);
        cluster.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", Name = "api", StatusCode = 403, Message = "admission webhook denied the request" });

        var result = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, result.Status);
        Assert.Equal((3, 0), (await cluster.ReplicasAsync(ScalableKind.Deployment, "web"), await cluster.ReplicasAsync(ScalableKind.Deployment, "api")));
        var annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.Equal("""[{"kind":"Deployment","name":"api","group":"apps","replicas":2}]""", annotations[IdleAnnotations.UnidleTargets]);
        Assert.Contains(IdleAnnotations.IdledAt, annotations.Keys);
        var refusal = Assert.Single(await cluster.EventsAsync(), @event => @event.Reason == RefusalEvent.Reason);
        Assert.Equal("Warning", refusal.Type);
        Assert.Contains("admission webhook denied the request", refusal.Message, StringComparison.Ordinal);

        var again = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Terminal, again.Status);
        Assert.Equal(annotations[IdleAnnotations.UnidleTargets], (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
        Assert.Equal(0, await cluster.ReplicasAsync(ScalableKind.Deployment, "api"));
    }

    [Fact]
    public async Task Racing_zones_record_one_need_pods_while_idled_at_is_still_present()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct, """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"StatefulSet","name":"db","group":"apps","replicas":2}]""");
        await cluster.CreateAsync(ScalableKind.StatefulSet, "db", "web", 0);
        // Every racer reads replicas 0 before any writes, so that each scales one target and both would record NeedPods.
        cluster.Api.Faults.Add(new FaultRule { Verb = "get", Resource = "deployments", Subresource = "scale", Delay = TimeSpan.FromSeconds(2), Times = 2 });
        cluster.Api.Faults.Add(new FaultRule { Verb = "get", Resource = "statefulsets", Subresource = "scale", Delay = TimeSpan.FromSeconds(2), Times = 2 });
        var keep = new WakeContext { Trigger = "traffic", KeepAnnotations = true };
        var zones = new[] { cluster.Waker(), cluster.Waker() };

        var started = await Task.WhenAll(zones.Select(zone => zone.WakeAsync(TestCluster.Namespace, "web", keep, ct))).WaitAsync(Deadline, ct);

        Assert.Contains(started, result => result.Status == WakeStatus.Woken);
        Assert.Equal((3, 2), (await cluster.ReplicasAsync(ScalableKind.Deployment, "web"), await cluster.ReplicasAsync(ScalableKind.StatefulSet, "db")));
        Assert.Contains(IdleAnnotations.IdledAt, (await cluster.ServiceAnnotationsAsync("web")).Keys);
        Assert.Single(await cluster.EventsAsync(), @event => @event.Reason == IdleAnnotations.NeedPodsReason);

        foreach (var (zone, result) in zones.Zip(started))
        {
            var finished = await zone.FinishWakeAsync(TestCluster.Namespace, "web", result, ct).WaitAsync(Deadline, ct);
            Assert.NotEqual(WakeStatus.Terminal, finished.Status);
        }

        var annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.False(IdleAnnotations.IsIdled(annotations));
        Assert.DoesNotContain(IdleAnnotations.WakeStarted, annotations.Keys);
        Assert.Single(await cluster.EventsAsync(), @event => @event.Reason == IdleAnnotations.NeedPodsReason);
    }

    [Fact]
    public async Task Need_pods_is_recorded_after_the_scale_and_before_the_idle_annotations_go()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await ClusterWithIdledWebAsync(ct);

        await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        var requests = cluster.Api.Requests.Snapshot().ToList();
        var scaled = requests.FindIndex(request => request is { Verb: "update", Subresource: "scale", StatusCode: 200 });
        var needPods = requests.FindIndex(request => request is { Verb: "create", Resource: "events" });
        var cleared = requests.FindIndex(request => request is { Verb: "patch", Resource: "services" } && request.Body?.Contains("\"idling.alpha.openshift.io/idled-at\":null", StringComparison.Ordinal) == true);
        Assert.True(scaled >= 0 && needPods > scaled && cleared > needPods, $"order was scale {scaled}, NeedPods {needPods}, annotations removed {cleared}");
    }
}
