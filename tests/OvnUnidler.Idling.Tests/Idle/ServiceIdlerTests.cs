using k8s;
using k8s.Models;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Idling.Scaling;
using OvnUnidler.Idling.Tests.Fixtures;
using OvnUnidler.Idling.Waking;
using OvnUnidler.KubernetesDouble.Faults;

namespace OvnUnidler.Idling.Tests.Idle;

public sealed class ServiceIdlerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Idle_then_wake_restores_replicas_removes_annotations_and_records_need_pods()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web", new Dictionary<string, string> { [IdleAnnotations.OvnUnidledAt] = "2025-01-01T00:00:00Z" });
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.CreateAsync(ScalableKind.Deployment, "unrelated", "other", 2);
        await cluster.WaitForServingPodsAsync("web", 3);

        var idled = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, idled.Status);
        var target = Assert.Single(idled.Targets);
        Assert.Equal(("web", 3, (int?)3, IdleTargetOutcome.ScaledToZero), (target.Target.Name, target.Target.Replicas, target.CurrentReplicas, target.Outcome));
        Assert.Equal(0, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        Assert.Equal(2, await cluster.ReplicasAsync(ScalableKind.Deployment, "unrelated"));
        var annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.Equal("""[{"kind":"Deployment","name":"web","group":"apps","replicas":3}]""", annotations[IdleAnnotations.UnidleTargets]);
        Assert.Equal("2025-06-07T08:09:10Z", annotations[IdleAnnotations.IdledAt]);
        Assert.DoesNotContain(IdleAnnotations.OvnUnidledAt, annotations.Keys);

        cluster.Time.Advance(TimeSpan.FromMinutes(30));
        var woken = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, woken.Status);
        Assert.Equal(3, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.False(IdleAnnotations.IsIdled(annotations));
        Assert.Equal("2025-06-07T08:39:10Z", annotations[IdleAnnotations.OvnUnidledAt]);
        Assert.Single(await cluster.EventsAsync(), evt => evt.Reason == "NeedPods" && evt.Message == "The service web needs pods");
    }

    [Fact]
    public async Task The_service_is_annotated_before_any_target_is_scaled_down()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.WaitForServingPodsAsync("web", 3);
        cluster.Api.Requests.Clear();

        await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        var writes = cluster.Api.Requests.Where(request => request.Verb is "patch" or "update").Select(request => (request.Resource, request.Subresource)).ToList();
        Assert.Equal([("services", (string?)null), ("deployments", "scale")], writes);
    }

    [Fact]
    public async Task Dry_run_returns_the_plan_and_changes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.CreateAsync(ScalableKind.StatefulSet, "cache", "web", 2);
        await cluster.WaitForServingPodsAsync("web", 5);
        var writes = cluster.Writes();

        var plan = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest { DryRun = true }, ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Planned, plan.Status);
        // In the order of the pods' names: cache-0, cache-1, then web-HASH-*.
        Assert.Equal(
            [("StatefulSet", "cache", 2, IdleTargetOutcome.Planned), ("Deployment", "web", 3, IdleTargetOutcome.Planned)],
            plan.Targets.Select(target => (target.Target.Kind, target.Target.Name, target.Target.Replicas, target.Outcome)));
        Assert.Equal(
            """[{"kind":"StatefulSet","name":"cache","group":"apps","replicas":2},{"kind":"Deployment","name":"web","group":"apps","replicas":3}]""",
            plan.ServiceAnnotations[IdleAnnotations.UnidleTargets]);
        Assert.Equal("Pods cache-0, cache-1 -> StatefulSet cache", Assert.Single(plan.Targets[0].Chains));
        Assert.Matches(@"^Pods web-[a-z0-9]+-[a-z0-9]+, web-[a-z0-9]+-[a-z0-9]+, web-[a-z0-9]+-[a-z0-9]+ -> ReplicaSet web-[a-z0-9]+ -> Deployment web$", Assert.Single(plan.Targets[1].Chains));
        Assert.Equal(writes, cluster.Writes());
        Assert.Equal((3, 2), (await cluster.ReplicasAsync(ScalableKind.Deployment, "web"), await cluster.ReplicasAsync(ScalableKind.StatefulSet, "cache")));
        Assert.False(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")));
    }

    [Fact]
    public async Task Idling_twice_keeps_the_counts_recorded_the_first_time()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 4);
        await cluster.WaitForServingPodsAsync("web", 4);
        var idler = cluster.Idler();
        await idler.IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        await cluster.WaitForServingPodsAsync("web", 0);
        var again = await idler.IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, again.Status);
        Assert.Equal((4, IdleTargetOutcome.AlreadyAtZero), (Assert.Single(again.Targets).Target.Replicas, again.Targets[0].Outcome));
        Assert.Equal("""[{"kind":"Deployment","name":"web","group":"apps","replicas":4}]""", (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
    }

    [Fact]
    public async Task Stateful_sets_and_deployment_configs_are_idled_and_woken_with_previous_scale_as_oc_writes_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("db", "db");
        await cluster.CreateAsync(ScalableKind.DeploymentConfig, "api", "db", 3);
        await cluster.CreateAsync(ScalableKind.StatefulSet, "db", "db", 2);
        await cluster.WaitForServingPodsAsync("db", 5);

        var idled = await cluster.Idler().IdleAsync(TestCluster.Namespace, "db", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, idled.Status);
        Assert.Equal(
            """[{"kind":"DeploymentConfig","name":"api","group":"apps.openshift.io","replicas":3},{"kind":"StatefulSet","name":"db","group":"apps","replicas":2}]""",
            (await cluster.ServiceAnnotationsAsync("db"))[IdleAnnotations.UnidleTargets]);
        Assert.Equal((0, 0), (await cluster.ReplicasAsync(ScalableKind.StatefulSet, "db"), await cluster.ReplicasAsync(ScalableKind.DeploymentConfig, "api")));
        var dc = await cluster.AnnotationsAsync(ScalableKind.DeploymentConfig, "api");
        Assert.Equal(("3", "2025-06-07T08:09:10Z"), (dc[IdleAnnotations.PreviousScale], dc[IdleAnnotations.IdledAt]));
        Assert.DoesNotContain(IdleAnnotations.PreviousScale, (await cluster.AnnotationsAsync(ScalableKind.StatefulSet, "db")).Keys);

        var woken = await cluster.Waker().WakeAsync(TestCluster.Namespace, "db", WakeContext.Manual, ct).WaitAsync(Deadline, ct);

        Assert.Equal(WakeStatus.Woken, woken.Status);
        Assert.Equal((2, 3), (await cluster.ReplicasAsync(ScalableKind.StatefulSet, "db"), await cluster.ReplicasAsync(ScalableKind.DeploymentConfig, "api")));
        dc = await cluster.AnnotationsAsync(ScalableKind.DeploymentConfig, "api");
        Assert.DoesNotContain(IdleAnnotations.PreviousScale, dc.Keys);
        Assert.DoesNotContain(IdleAnnotations.IdledAt, dc.Keys);
        // One write down when idling, one up when waking, for each.
        Assert.Equal((2, 2), (cluster.AcceptedScaleWrites("statefulsets"), cluster.AcceptedScaleWrites("deploymentconfigs")));
    }

    [Fact]
    public async Task Replication_controllers_without_an_owner_are_idled_with_previous_scale()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("legacy", "legacy");
        await cluster.CreateAsync(ScalableKind.ReplicationController, "legacy", "legacy", 2);
        await cluster.WaitForServingPodsAsync("legacy", 2);

        var idled = await cluster.Idler().IdleAsync(TestCluster.Namespace, "legacy", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, idled.Status);
        Assert.Equal("""[{"kind":"ReplicationController","name":"legacy","replicas":2}]""", (await cluster.ServiceAnnotationsAsync("legacy"))[IdleAnnotations.UnidleTargets]);
        Assert.Equal("2", (await cluster.AnnotationsAsync(ScalableKind.ReplicationController, "legacy"))[IdleAnnotations.PreviousScale]);
    }

    [Fact]
    public async Task Explicit_targets_are_idled_with_the_replicas_asked_for()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.CreateAsync(ScalableKind.Deployment, "worker", "worker", 1);

        var idled = await cluster.Idler().IdleAsync(
            TestCluster.Namespace,
            "web",
            new IdleRequest { ExplicitTargets = [new IdleTargetReference("Deployment", "worker") { Replicas = 4 }] },
            ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, idled.Status);
        Assert.Equal("""[{"kind":"Deployment","name":"worker","group":"apps","replicas":4}]""", (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
        Assert.Equal((3, 0), (await cluster.ReplicasAsync(ScalableKind.Deployment, "web"), await cluster.ReplicasAsync(ScalableKind.Deployment, "worker")));
    }

    [Theory]
    [InlineData("CronJob", null, "CronJob is not served by this API server")]
    [InlineData("Deployment", "apps.openshift.io", "Deployment.apps.openshift.io is not served by this API server")]
    public async Task Explicit_targets_of_unknown_kinds_are_terminal_and_change_nothing(string kind, string? group, string reason)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web");
        var writes = cluster.Writes();

        var result = await cluster.Idler().IdleAsync(
            TestCluster.Namespace, "web", new IdleRequest { ExplicitTargets = [new IdleTargetReference(kind, "x") { Group = group }] }, ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Terminal, result.Status);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task A_service_no_pod_serves_is_terminal_and_a_deployment_already_at_zero_is_not_recorded()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 0);
        await cluster.CreateAsync(ScalableKind.Deployment, "other", "other", 1);
        await cluster.WaitForServingPodsAsync("web", 0);
        var writes = cluster.Writes();

        var result = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Terminal, result.Status);
        Assert.Contains("no pod serves Service default/web", result.Reason, StringComparison.Ordinal);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task Broken_existing_annotations_stop_idling_before_anything_changes()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("web", "web", new Dictionary<string, string> { [IdleAnnotations.UnidleTargets] = "{broken" });
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        var writes = cluster.Writes();

        var result = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Terminal, result.Status);
        Assert.Contains("fix or remove them", result.Reason, StringComparison.Ordinal);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task A_failed_scale_down_returns_retry_after_and_calling_again_converges()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.WaitForServingPodsAsync("web", 3);
        var outage = cluster.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", StatusCode = 500 });
        var idler = cluster.Idler();

        var first = await idler.IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.RetryAfter, first.Status);
        Assert.Equal(3, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        Assert.Contains(IdleAnnotations.UnidleTargets, (await cluster.ServiceAnnotationsAsync("web")).Keys);

        cluster.Api.Faults.Remove(outage);
        var second = await idler.IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, second.Status);
        Assert.Equal(0, await cluster.ReplicasAsync(ScalableKind.Deployment, "web"));
        Assert.Equal("""[{"kind":"Deployment","name":"web","group":"apps","replicas":3}]""", (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
    }

    [Fact]
    public async Task A_conflict_on_the_service_is_read_again_and_merged()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.WaitForServingPodsAsync("web", 3);
        cluster.Api.Faults.Add(new FaultRule { Verb = "patch", Resource = "services", StatusCode = 409, Times = 1 });

        var result = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, result.Status);
        Assert.Equal(2, cluster.Api.Requests.Count(verb: "patch", resource: "services"));
        Assert.Contains(IdleAnnotations.UnidleTargets, (await cluster.ServiceAnnotationsAsync("web")).Keys);
    }

    [Fact]
    public async Task The_deployment_behind_the_pods_is_recorded_not_its_replica_set_and_a_matching_deployment_at_zero_is_skipped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 2);
        // Same pod labels, never started: oc records only what serves.
        await cluster.CreateAsync(ScalableKind.Deployment, "web-canary", "web", 0);
        await cluster.WaitForServingPodsAsync("web", 2);

        var idled = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, idled.Status);
        var target = Assert.Single(idled.Targets);
        Assert.Equal((ScalableKind.Deployment, "web", 2, IdleTargetOutcome.ScaledToZero), (target.Target.Scalable, target.Target.Name, target.Target.Replicas, target.Outcome));
        Assert.Matches(@"^Pods web-[a-z0-9]+-[a-z0-9]+, web-[a-z0-9]+-[a-z0-9]+ -> ReplicaSet web-[a-z0-9]+ -> Deployment web$", Assert.Single(target.Chains));
        Assert.Equal("""[{"kind":"Deployment","name":"web","group":"apps","replicas":2}]""", (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
        Assert.Equal(0, cluster.Api.Requests.Count(verb: "update", resource: "replicasets", subresource: "scale"));
        Assert.Equal(0, cluster.Api.Requests.Count(resource: "deployments", name: "web-canary"));
    }

    [Fact]
    public async Task A_replica_set_owned_by_a_rollout_records_the_rollout_and_scales_it_through_its_scale_subresource()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateScalableDefinitionAsync("argoproj.io", "Rollout", "rollouts");
        var rollout = await cluster.CreateCustomAsync("argoproj.io", "Rollout", "rollouts", "web", replicas: 2, app: "web");
        await cluster.CreateServiceAsync("web", "web");
        // What Argo's controller would create: a ReplicaSet whose controller is the Rollout.
        await cluster.Client.AppsV1.CreateNamespacedReplicaSetAsync(new V1ReplicaSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = "web-6f8c9",
                OwnerReferences =
                [
                    new V1OwnerReference
                    {
                        ApiVersion = "argoproj.io/v1alpha1",
                        Kind = "Rollout",
                        Name = "web",
                        Uid = rollout.GetProperty("metadata").GetProperty("uid").GetString(),
                        Controller = true,
                        BlockOwnerDeletion = true,
                    },
                ],
            },
            Spec = new V1ReplicaSetSpec
            {
                Replicas = 2,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
                },
            },
        }, TestCluster.Namespace, cancellationToken: ct).WaitAsync(Deadline, ct);
        await cluster.WaitForServingPodsAsync("web", 2);

        var idled = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Idled, idled.Status);
        var target = Assert.Single(idled.Targets);
        Assert.Equal((new ScalableKind("Rollout", "argoproj.io"), "web", 2), (target.Target.Scalable, target.Target.Name, target.Target.Replicas));
        Assert.Matches(@"^Pods web-6f8c9-[a-z0-9]+, web-6f8c9-[a-z0-9]+ -> ReplicaSet web-6f8c9 -> Rollout web$", Assert.Single(target.Chains));
        Assert.Equal("""[{"kind":"Rollout","name":"web","group":"argoproj.io","replicas":2}]""", (await cluster.ServiceAnnotationsAsync("web"))[IdleAnnotations.UnidleTargets]);
        Assert.Equal(0, await cluster.CustomReplicasAsync("argoproj.io", "rollouts", "web"));
        Assert.Equal(1, cluster.AcceptedScaleWrites("rollouts"));
        Assert.Equal(0, cluster.Api.Requests.Count(verb: "update", resource: "replicasets", subresource: "scale"));
    }

    [Fact]
    public async Task A_pod_without_a_controller_behind_the_service_is_refused_as_oc_refuses_it()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "debug", Labels = new Dictionary<string, string> { ["app"] = "web" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "app", Image = "registry.example/app:1" }] },
        }, TestCluster.Namespace, cancellationToken: ct).WaitAsync(Deadline, ct);
        // No controller starts a bare pod: its status is the kubelet's to write, so the test writes it.
        var running = """{"status":{"phase":"Running","podIP":"10.128.9.9","podIPs":[{"ip":"10.128.9.9"}],"conditions":[{"type":"Ready","status":"True"}]}}""";
        await cluster.Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(running, V1Patch.PatchType.MergePatch), "debug", TestCluster.Namespace, cancellationToken: ct).WaitAsync(Deadline, ct);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.WaitForServingPodsAsync("web", 1);
        var writes = cluster.Writes();

        var result = await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Terminal, result.Status);
        Assert.Contains("Pod debug behind Service default/web has no controller", result.Reason, StringComparison.Ordinal);
        Assert.Equal(writes, cluster.Writes());
    }

    [Fact]
    public async Task Pods_are_found_through_the_v1_endpoints_of_a_service_without_endpoint_slices()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("backend", "legacy");
        await cluster.CreateAsync(ScalableKind.ReplicationController, "legacy", "legacy", 2);
        await cluster.WaitForServingPodsAsync("backend", 2);
        // A Service without a selector has no EndpointSlices of the controller; its Endpoints are
        // written by hand (or by an older cluster), here naming the ReplicationController's pods.
        var pods = (await cluster.Client.CoreV1.ListNamespacedPodAsync(TestCluster.Namespace, labelSelector: "app=legacy", cancellationToken: ct).WaitAsync(Deadline, ct)).Items;
        await cluster.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "manual" },
            Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Name = "http", Port = 80, TargetPort = 8080, Protocol = "TCP" }] },
        }, TestCluster.Namespace, cancellationToken: ct).WaitAsync(Deadline, ct);
        await cluster.Client.CoreV1.CreateNamespacedEndpointsAsync(new V1Endpoints
        {
            Metadata = new V1ObjectMeta { Name = "manual" },
            Subsets =
            [
                new V1EndpointSubset
                {
                    Addresses = [.. pods.Select(pod => new V1EndpointAddress { Ip = pod.Status.PodIP, TargetRef = new V1ObjectReference { Kind = "Pod", Name = pod.Metadata.Name, NamespaceProperty = TestCluster.Namespace } })],
                    Ports = [new Corev1EndpointPort { Name = "http", Port = 8080, Protocol = "TCP" }],
                },
            ],
        }, TestCluster.Namespace, cancellationToken: ct).WaitAsync(Deadline, ct);

        var plan = await cluster.Idler().IdleAsync(TestCluster.Namespace, "manual", new IdleRequest { DryRun = true }, ct).WaitAsync(Deadline, ct);

        Assert.Equal(IdleStatus.Planned, plan.Status);
        var target = Assert.Single(plan.Targets);
        Assert.Equal((ScalableKind.ReplicationController, "legacy", 2), (target.Target.Scalable, target.Target.Name, target.Target.Replicas));
        Assert.Equal(1, cluster.Api.Requests.Count(verb: "get", resource: "endpoints", name: "manual"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_wake_between_idle_annotating_and_scaling_to_zero_leaves_the_service_awake_not_at_zero_without_annotations(bool restoreConflicts)
    {
        var ct = TestContext.Current.CancellationToken;
        // Idle follows the Service's serving pods to their Deployment, as oc idle does: the controllers run.
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.WaitForServingPodsAsync("web", 3);
        // Holds idle's scale to 0 (its only scale write) after it annotated the Service; removing the rule lets it through.
        var held = cluster.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", Delay = TimeSpan.FromMinutes(10), Times = 1 });

        var idling = cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct);
        await Eventually.TrueAsync(() => held.Hits == 1, "idle's scale to 0 to be held");
        Assert.True(IdleAnnotations.IsIdled(await cluster.ServiceAnnotationsAsync("web")), "idle did not annotate before scaling; the interleaving is not forced");
        var woken = await cluster.Waker().WakeAsync(TestCluster.Namespace, "web", WakeContext.Manual, ct).WaitAsync(Deadline, ct);
        Assert.Equal(WakeStatus.AlreadyAwake, woken.Status);
        // The deployment controller's status writes move the resourceVersion under the restore's read: a 409 must be re-read, not the end.
        var conflict = restoreConflicts
            ? cluster.Api.Faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", StatusCode = 409, Times = 1 })
            : null;
        cluster.Api.Faults.Remove(held);
        var idled = await idling.WaitAsync(Deadline, ct);

        var replicas = await cluster.ReplicasAsync(ScalableKind.Deployment, "web");
        var annotations = await cluster.ServiceAnnotationsAsync("web");
        Assert.False(replicas == 0 && !IdleAnnotations.IsIdled(annotations), "the Service was left at 0 without idle annotations: no traffic can wake it");
        Assert.Equal(3, replicas);
        Assert.Equal(IdleStatus.Terminal, idled.Status);
        Assert.Contains("woken while it was being idled", idled.Reason, StringComparison.Ordinal);
        Assert.Equal(restoreConflicts ? 1 : 0, conflict?.Hits ?? 0);
    }
}
