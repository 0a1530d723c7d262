using System.Threading.Channels;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.ControllerManager;

// Plays the controllers a real cluster runs behind the API server, as far as waking needs:
// when a scalable's spec.replicas changes (or it is created), after ReadyDelay its pods count as
// ready: the workload's status says so (a status write, new resourceVersion, MODIFIED) and the
// EndpointSlices of every Service whose selector matches its pod template get one ready
// endpoint per pod. Services created later get endpoints at once; a deleted Service loses its
// slices (owner references). Work is serial, in the order of the store's changes.
// Enabled=false ignores changes (turning it back on resynchronises everything); Pause holds the
// work (timers still run) until Resume.
public sealed class ControllerManagerSimulation
{
    private readonly ResourceRegistry registry;
    private readonly TimeProvider time;
    private readonly EndpointSliceReconciler slices;
    private readonly PodIpPool ips = new();
    private readonly Channel<StoreChange> changes = Channel.CreateUnbounded<StoreChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<ControllerWork> work = Channel.CreateUnbounded<ControllerWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<WorkloadKey, List<SimulatedPod>> pods = [];

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

    internal ControllerManagerSimulation(ResourceRegistry registry, TimeProvider time, TimeSpan readyDelay, bool enabled)
    {
        this.registry = registry;
        this.time = time;
        slices = new EndpointSliceReconciler(registry);
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
            if (enabled)
            {
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
            else if (change.Previous is null || PodsChanged(type, change.Previous, change.Object))
            {
                Schedule(key);
            }
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

    private void Schedule(WorkloadKey key)
    {
        long version;
        lock (gate)
        {
            version = scheduled.GetValueOrDefault(key) + 1;
            scheduled[key] = version;
        }

        _ = DelayThenSyncAsync(key, version, ReadyDelay);
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
                pods.Remove(deleted.Key);
                registry.Transact(tx => SyncMembershipLocked(tx, deleted.Key, podLabels: null));
                break;
            case ControllerWork.SyncService service:
                registry.Transact(tx =>
                {
                    slices.SyncLocked(tx, service.Namespace, service.Name, PodsOf);
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
            pods.Remove(key);
            return SyncMembershipLocked(tx, key, podLabels: null);
        }

        var workload = registry.Load(key.Type, stored);
        var desired = (int)Math.Max(0, JsonAccess.Integer(JsonAccess.Object(workload, "spec"), "replicas") ?? 1);
        if (!pods.TryGetValue(key, out var running))
        {
            running = [];
            pods[key] = running;
        }

        while (running.Count < desired)
        {
            var (ipv4, ipv6) = ips.Allocate();
            running.Add(new SimulatedPod(PodName(key, running.Count), Guid.NewGuid().ToString(), ipv4, ipv6));
        }

        if (running.Count > desired)
        {
            // Scale-down removes the newest pods first (StatefulSets: the highest ordinals).
            running.RemoveRange(desired, running.Count - desired);
        }

        var status = WorkloadStatus.Build(key.Type.Kind, running.Count, ObjectMetadata.Generation(workload), JsonAccess.Object(workload, "status"));
        var next = (System.Text.Json.Nodes.JsonObject)workload.DeepClone();
        next["status"] = status;
        registry.CommitUpdateLocked(tx, key.Type, stored, next, statusOnly: true);
        return SyncMembershipLocked(tx, key, EndpointSliceReconciler.TemplateLabels(workload));
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
            slices.SyncLocked(tx, key.Namespace, service, PodsOf);
        }

        return true;
    }

    private IReadOnlyList<SimulatedPod> PodsOf(WorkloadKey key) => pods.TryGetValue(key, out var running) ? running : [];

    private static string PodName(WorkloadKey key, int ordinal) => key.Type.Kind switch
    {
        "StatefulSet" => $"{key.Name}-{ordinal}",
        "Deployment" => NameGenerator.Generate($"{key.Name}-{StableHash(key.Name)}-"),
        "DeploymentConfig" => NameGenerator.Generate($"{key.Name}-1-"),
        _ => NameGenerator.Generate($"{key.Name}-"),
    };

    private static string StableHash(string text) =>
        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..10].ToLowerInvariant();

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
