using System.Threading.Channels;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// Plays the controllers a real cluster runs behind the API server, as far as waking needs: the
// Deployment controller keeps one ReplicaSet per pod template at spec.replicas; the ReplicaSet,
// ReplicationController, StatefulSet and DeploymentConfig controllers (with the kubelet) create
// and delete Pod objects that, ReadyDelay after a replica change, exist and are ready with
// addresses from the pod address allocator; workload statuses follow (a Deployment's with its
// Available and Progressing conditions); the EndpointSlices of every Service whose selector
// matches hold one ready endpoint per ready pod, with a targetRef to it; the garbage collector
// deletes what a deleted owner owned. Services created later get endpoints at once. Work is
// serial, in the order of the store's changes.
// Enabled=false ignores changes (turning it back on resynchronises everything); Pause holds the
// work (timers still run) until Resume.
public sealed class ControllerManagerSimulation
{
    private readonly ResourceRegistry registry;
    private readonly TimeProvider time;
    private readonly EndpointSliceReconciler slices;
    private readonly PodController podController;
    private readonly bool simulateKubelet;
    private readonly DeploymentController deployments;
    private readonly GarbageCollector garbageCollector;
    private readonly Channel<StoreChange> changes = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ControllerWork> work = Channel.CreateUnbounded<ControllerWork>(new UnboundedChannelOptions { SingleReader = true });
    // The Services whose slices last took each workload's pods: a workload change syncs those and
    // the ones that select it now, not every Service of its namespace.
    private readonly Dictionary<WorkloadKey, HashSet<string>> memberships = [];
    private readonly Dictionary<WorkloadKey, long> scheduled = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();
    private TaskCompletionSource resumed = CompletedGate();
    private long readyDelayTicks;
    private volatile bool enabled;
    private Task running = Task.CompletedTask;

    internal ControllerManagerSimulation(
        ResourceRegistry registry, TimeProvider time, TimeSpan readyDelay, bool enabled, IPodAddressAllocator podAddresses, bool simulateKubelet = true)
    {
        this.registry = registry;
        this.time = time;
        slices = new EndpointSliceReconciler(registry);
        podController = new PodController(registry, podAddresses, time, simulateKubelet);
        this.simulateKubelet = simulateKubelet;
        deployments = new DeploymentController(registry, time);
        garbageCollector = new GarbageCollector(registry);
        readyDelayTicks = readyDelay.Ticks;
        this.enabled = enabled;
    }

    public TimeSpan ReadyDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref readyDelayTicks));
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            Interlocked.Exchange(ref readyDelayTicks, value.Ticks);
        }
    }

    public bool Enabled
    {
        get => enabled;
        set
        {
            var wasEnabled = enabled;
            enabled = value;
            if (value && !wasEnabled)
            {
                work.Writer.TryWrite(new ControllerWork.ResyncAll());
            }
        }
    }

    public bool IsPaused
    {
        get
        {
            lock (gate)
            {
                return !resumed.Task.IsCompleted;
            }
        }
    }

    // The last failure of a reconciliation (the simulation keeps going after one).
    public Exception? LastError { get; private set; }

    public void Pause()
    {
        lock (gate)
        {
            if (resumed.Task.IsCompleted)
            {
                resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Resume()
    {
        lock (gate)
        {
            resumed.TrySetResult();
        }
    }

    internal void Start()
    {
        registry.Store.Subscribe(new ChangeFeed(changes.Writer), registry.Store.CurrentResourceVersion, null);
        running = Task.WhenAll(Task.Run(FollowChangesAsync), Task.Run(WorkAsync));
    }

    internal async Task StopAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        changes.Writer.TryComplete();
        work.Writer.TryComplete();
        Resume();
        try
        {
            await running.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        stopping.Dispose();
    }

    private static TaskCompletionSource CompletedGate()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        gate.SetResult();
        return gate;
    }

    private async Task FollowChangesAsync()
    {
        await foreach (var change in changes.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
        {
            // The owner index follows every change, so a collector turned on later knows every owner.
            var orphans = garbageCollector.Observe(change);
            if (enabled)
            {
                if (orphans.Count > 0)
                {
                    work.Writer.TryWrite(new ControllerWork.CollectGarbage(change.Object.Uid, orphans));
                }

                React(change);
            }
        }
    }

    private void React(StoreChange change)
    {
        var type = change.Object.Type;
        var catalog = registry.Catalog;
        if (type.IsScalable)
        {
            var key = new WorkloadKey(type, change.Object.Namespace, change.Object.Name);
            if (change.Type == StoreChangeType.Deleted)
            {
                work.Writer.TryWrite(new ControllerWork.WorkloadDeleted(key));
            }
            else
            {
                var owner = type.Kind == "ReplicaSet" ? OwnerReference.ControllerOf(change.Object.ToNode()) : null;
                if (change.Previous is null || PodsChanged(type, change.Previous, change.Object))
                {
                    // The simulated start-up takes ReadyDelay once: a Deployment's ReplicaSet then starts its pods at once.
                    Schedule(key, owner is ("Deployment", _) ? TimeSpan.Zero : ReadyDelay);
                }

                if (owner is ("Deployment", var deployment))
                {
                    work.Writer.TryWrite(new ControllerWork.SyncDeploymentStatus(new WorkloadKey(catalog.Find("apps", "v1", "deployments")!, key.Namespace, deployment)));
                }
            }
        }
        else if (ReferenceEquals(type, catalog.Pods) && change.Type == StoreChangeType.Deleted
            && OwnerReference.ControllerOf(change.Object.ToNode()) is var (ownerKind, ownerName)
            && catalog.Scalables.FirstOrDefault(scalable => scalable.Kind == ownerKind) is { } ownerType)
        {
            // A workload's pod was deleted: its controller starts a replacement if it still wants one
            // (after its own scale-down the sync finds nothing to do).
            Schedule(new WorkloadKey(ownerType, change.Object.Namespace, ownerName), ReadyDelay);
        }
        else if (!simulateKubelet && ReferenceEquals(type, catalog.Pods) && change.Previous is not null
            && PodManifest.EndpointChanged(change.Previous.ToNode(), change.Object.ToNode())
            && OwnerReference.ControllerOf(change.Object.ToNode()) is var (readyOwnerKind, readyOwnerName)
            && catalog.Scalables.FirstOrDefault(scalable => scalable.Kind == readyOwnerKind) is { } readyOwnerType)
        {
            // The outside kubelet gave a pod its address, reported it ready (or not), or it is being
            // deleted: its workload's status and the slices of the Services selecting it follow, as
            // the EndpointSlice controller watches pods.
            Schedule(new WorkloadKey(readyOwnerType, change.Object.Namespace, readyOwnerName), TimeSpan.Zero);
        }
        else if (ReferenceEquals(type, catalog.Services))
        {
            work.Writer.TryWrite(new ControllerWork.SyncService(change.Object.Namespace, change.Object.Name));
        }
        else if (ReferenceEquals(type, catalog.EndpointSlices) && change.Type == StoreChangeType.Deleted
            && change.Object.Labels.GetValueOrDefault(EndpointSliceReconciler.ManagedByLabel) == EndpointSliceReconciler.ControllerName
            && change.Object.Labels.TryGetValue(EndpointSliceReconciler.ServiceNameLabel, out var service))
        {
            // Someone deleted one of our slices: the controller puts it back.
            work.Writer.TryWrite(new ControllerWork.SyncService(change.Object.Namespace, service));
        }
    }

    // Desired replicas or the pod template's labels changed: pods come and go.
    private static bool PodsChanged(ResourceType type, StoredObject before, StoredObject after)
    {
        var old = before.ToNode();
        var now = after.ToNode();
        return JsonAccess.Integer(JsonAccess.Object(old, "spec"), "replicas") != JsonAccess.Integer(JsonAccess.Object(now, "spec"), "replicas")
            || !System.Text.Json.Nodes.JsonNode.DeepEquals(JsonAccess.Path(old, "spec", "template", "metadata")?["labels"], JsonAccess.Path(now, "spec", "template", "metadata")?["labels"]);
    }

    private void Schedule(WorkloadKey key) => Schedule(key, ReadyDelay);

    private void Schedule(WorkloadKey key, TimeSpan delay)
    {
        long version;
        lock (gate)
        {
            version = scheduled.GetValueOrDefault(key) + 1;
            scheduled[key] = version;
        }

        _ = DelayThenSyncAsync(key, version, delay);
    }

    private async Task DelayThenSyncAsync(WorkloadKey key, long version, TimeSpan delay)
    {
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, time, stopping.Token).ConfigureAwait(false);
            }

            lock (gate)
            {
                // A later change rescheduled this workload: that timer will do the work.
                if (scheduled.GetValueOrDefault(key) != version)
                {
                    return;
                }
            }

            work.Writer.TryWrite(new ControllerWork.SyncWorkload(key));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private async Task WorkAsync()
    {
        await foreach (var item in work.Reader.ReadAllAsync(stopping.Token).ConfigureAwait(false))
        {
            Task gateTask;
            lock (gate)
            {
                gateTask = resumed.Task;
            }

            await gateTask.WaitAsync(stopping.Token).ConfigureAwait(false);
            if (!enabled && item is not ControllerWork.ResyncAll)
            {
                continue;
            }

            try
            {
                Execute(item);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One bad object must not stop the simulated controllers for everything else.
                LastError = exception;
            }
        }
    }

    private void Execute(ControllerWork item)
    {
        switch (item)
        {
            case ControllerWork.SyncWorkload sync:
                registry.Transact(tx => SyncWorkloadLocked(tx, sync.Key));
                break;
            case ControllerWork.WorkloadDeleted deleted:
                registry.Transact(tx =>
                {
                    podController.DeleteAllLocked(tx, deleted.Key);
                    return SyncMembershipLocked(tx, deleted.Key, podLabels: null);
                });
                break;
            case ControllerWork.SyncDeploymentStatus deployment:
                registry.Transact(tx =>
                {
                    deployments.WriteStatusLocked(tx, deployment.Key);
                    return true;
                });
                break;
            case ControllerWork.CollectGarbage collect:
                registry.Transact(tx =>
                {
                    garbageCollector.CollectLocked(tx, collect.OwnerUid, collect.Dependents);
                    return true;
                });
                break;
            case ControllerWork.SyncService service:
                registry.Transact(tx =>
                {
                    slices.SyncLocked(tx, service.Namespace, service.Name);
                    return true;
                });
                break;
            case ControllerWork.ResyncAll:
                var (workloads, services) = registry.Transact(tx => (
                    registry.Catalog.Scalables
                        .SelectMany(type => registry.ListLocked(tx, type, null).Select(stored => new WorkloadKey(type, stored.Namespace, stored.Name)))
                        .ToList(),
                    registry.ListLocked(tx, registry.Catalog.Services, null).Select(stored => (stored.Namespace, stored.Name)).ToList()));
                services.ForEach(service => work.Writer.TryWrite(new ControllerWork.SyncService(service.Namespace, service.Name)));
                workloads.ForEach(Schedule);
                break;
        }
    }

    private bool SyncWorkloadLocked(StoreTransaction tx, WorkloadKey key)
    {
        var stored = registry.GetLocked(tx, key.Type, key.Namespace, key.Name);
        if (stored is null)
        {
            podController.Forget(key);
            return SyncMembershipLocked(tx, key, podLabels: null);
        }

        if (key.Type.Kind == "Deployment")
        {
            deployments.SyncLocked(tx, key, stored);
            return true;
        }

        podController.SyncLocked(tx, key, stored);
        return SyncMembershipLocked(tx, key, EndpointSliceReconciler.TemplateLabels(registry.Load(key.Type, stored)));
    }

    // Syncs the Services that selected the workload's pods before and those that select them now
    // (none now when it is gone), as the EndpointSlice controller does on a pod change.
    private bool SyncMembershipLocked(StoreTransaction tx, WorkloadKey key, IReadOnlyDictionary<string, string>? podLabels)
    {
        var now = podLabels is null ? [] : slices.ServicesSelectingLocked(tx, key.Namespace, podLabels).ToHashSet(StringComparer.Ordinal);
        var affected = memberships.TryGetValue(key, out var before) ? now.Union(before, StringComparer.Ordinal).ToList() : [.. now];
        if (podLabels is null)
        {
            memberships.Remove(key);
        }
        else
        {
            memberships[key] = now;
        }

        foreach (var service in affected.Order(StringComparer.Ordinal))
        {
            slices.SyncLocked(tx, key.Namespace, service);
        }

        return true;
    }

    private sealed class ChangeFeed(ChannelWriter<StoreChange> writer) : IChangeSubscriber
    {
        public string? StorageKey => null;

        public void OnChange(StoreChange change) => writer.TryWrite(change);

        public void OnBookmark(long resourceVersion)
        {
        }

        public void OnInitialEventsEnd(long resourceVersion)
        {
        }
    }
}
