using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Waking;

// Wakes an idled Service: scales each recorded target that is still at 0 back to its recorded
// replicas, then clears the idle annotations and records NeedPods. Level-based and idempotent:
// every call reads the current state and does only what is left, so calling it again after any
// result (or after a crash) converges. Racing callers (several operator instances) are kept to
// one scale-up per target by the API server: every write is conditional on the resourceVersion
// it was decided on, and a 409 means "read again and decide again". No decision uses a time.
public sealed partial class ServiceWaker
{
    private readonly IKubernetes client;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly IdlingOptions options;
    private readonly ApiCaller api;
    private readonly WorkloadClient workloads;
    private readonly WorkloadDiscovery discovery;

    public ServiceWaker(IKubernetes client, TimeProvider timeProvider, ILogger<ServiceWaker>? logger = null, IdlingOptions? options = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        this.logger = logger ?? NullLogger<ServiceWaker>.Instance;
        this.options = options ?? new IdlingOptions();
        api = new ApiCaller(this.options, timeProvider);
        workloads = new WorkloadClient(client);
        discovery = new WorkloadDiscovery(workloads, api);
    }

    public async Task<WakeResult> WakeAsync(string @namespace, string serviceName, WakeContext context, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentNullException.ThrowIfNull(context);
        var service = $"{@namespace}/{serviceName}";
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Service"] = service });
        logger.WakeStarted(service, context.Trigger);
        var result = await WakeCoreAsync(@namespace, serviceName, service, context, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case WakeStatus.RetryAfter:
                logger.WakeRetry(service, result.Delay ?? TimeSpan.Zero, result.Reason ?? "");
                break;
            case WakeStatus.Terminal:
                logger.WakeTerminal(service, result.Reason ?? "");
                break;
            case WakeStatus.NotIdled:
                logger.WakeNotIdled(service);
                break;
        }

        return result;
    }

    private async Task<WakeResult> WakeCoreAsync(string @namespace, string serviceName, string service, WakeContext context, CancellationToken cancellationToken)
    {
        var read = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (read.Failure is { } readFailure)
        {
            return readFailure.Kind == ApiFailureKind.NotFound
                ? WakeResult.Terminal($"Service {service} does not exist")
                : Failed(readFailure, $"reading Service {service}");
        }

        var parsed = IdleRecordParser.Parse(read.Value!.Metadata.Annotations);
        if (parsed.Status == IdleRecordStatus.NotIdled)
        {
            return WakeResult.NotIdled() with { ServiceResourceVersion = read.Value.Metadata.ResourceVersion };
        }

        if (parsed.Status == IdleRecordStatus.Invalid)
        {
            return WakeResult.Terminal($"the idle annotations of Service {service} cannot be used: {parsed.Reason}");
        }

        var record = parsed.Record!;
        foreach (var note in record.Notes)
        {
            logger.RecordNote(service, note);
        }

        var targets = record.Targets;
        if (!record.HasTargetsAnnotation)
        {
            var fallback = await PreviousScaleTargetsAsync(@namespace, read.Value, cancellationToken).ConfigureAwait(false);
            if (fallback.Failure is { } fallbackFailure)
            {
                return Failed(fallbackFailure, $"finding the workloads of Service {service}");
            }

            targets = fallback.Value!;
            if (targets.Count == 0)
            {
                return WakeResult.Terminal(
                    $"Service {service} is idled ({string.Join(", ", record.IdledAtKeys)}) but has no {IdleAnnotations.UnidleTargets}, "
                    + $"and no workload it selects carries {IdleAnnotations.PreviousScale}");
            }
        }

        var outcomes = new List<TargetWake>();
        foreach (var target in targets)
        {
            outcomes.Add(await WakeTargetAsync(@namespace, service, target, cancellationToken).ConfigureAwait(false));
        }

        // Annotations stay until every target is done or terminal, so that the next call
        // (ours, or another instance's) finishes what a transient failure left.
        var failed = outcomes.Where(outcome => outcome.Outcome == TargetWakeOutcome.Failed).ToList();
        if (failed.Count > 0)
        {
            return WakeResult.RetryAfter(
                failed.Max(outcome => outcome.RetryAfter) ?? options.DefaultRetryAfter,
                string.Join("; ", failed.Select(outcome => $"{outcome.Target}: {outcome.Detail}")),
                outcomes);
        }

        var current = read.Value;
        var refused = outcomes.Where(outcome => outcome.Outcome == TargetWakeOutcome.Rejected).ToList();
        if (refused.Count > 0)
        {
            await RecordRefusalAsync(service, current, refused, cancellationToken).ConfigureAwait(false);
        }

        var scaled = outcomes.Any(outcome => outcome.Outcome == TargetWakeOutcome.ScaledUp);
        if (scaled && context.RecordEvent)
        {
            // Scale, then NeedPods, then the removal of the idle annotations: OpenShift's
            // controller ignores a NeedPods of a Service no longer idled.
            current = await RecordNeedPodsOnceAsync(@namespace, serviceName, service, current, cancellationToken).ConfigureAwait(false);
        }

        var terminal = outcomes.Where(outcome => outcome.IsTerminal).ToList();
        var notes = terminal.Count == 0 ? null : string.Join("; ", terminal.Select(outcome => $"{outcome.Target}: {outcome.Detail}"));
        if (!scaled && terminal.Count == outcomes.Count && refused.Count > 0)
        {
            // Every target left is refused for good: the record stays as it is, so that nothing
            // that was idled is forgotten; new traffic tries again (the caller limits how often).
            return WakeResult.Terminal($"no target of Service {service} could be woken: {notes}", outcomes) with { ActedOn = record, ServiceResourceVersion = current.Metadata.ResourceVersion };
        }

        var started = (scaled ? WakeResult.Woken(outcomes, notes) : terminal.Count == outcomes.Count
                ? WakeResult.Terminal($"no target of Service {service} could be woken: {notes}", outcomes)
                : WakeResult.AlreadyAwake(outcomes, notes))
            with { ActedOn = record, ServiceResourceVersion = current.Metadata.ResourceVersion, Service = current };
        if (context.KeepAnnotations && started.Status != WakeStatus.Terminal)
        {
            return started;
        }

        return await FinishCoreAsync(@namespace, serviceName, service, current, started, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The last step of a wake started with <see cref="WakeContext.KeepAnnotations"/>: removes the
    /// idle annotations (keeping the entries of refused targets) and stamps k8s.ovn.org/unidled-at.
    /// Returns <paramref name="started"/> when done, or why not.
    /// </summary>
    public async Task<WakeResult> FinishWakeAsync(string @namespace, string serviceName, WakeResult started, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(started);
        var service = $"{@namespace}/{serviceName}";
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Service"] = service });
        if (started.Service is { } known)
        {
            // Conditional on the version the wake left; a change since makes the patch 409 and read again.
            return await FinishCoreAsync(@namespace, serviceName, service, known, started, cancellationToken).ConfigureAwait(false);
        }

        var read = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (read.Failure is { } readFailure)
        {
            return readFailure.Kind == ApiFailureKind.NotFound
                ? WakeResult.Terminal($"Service {service} was deleted during the wake", started.Targets)
                : Failed(readFailure, $"reading Service {service}");
        }

        return await FinishCoreAsync(@namespace, serviceName, service, read.Value!, started, cancellationToken).ConfigureAwait(false);
    }

    private async Task<WakeResult> FinishCoreAsync(
        string @namespace, string serviceName, string service, V1Service current, WakeResult started, CancellationToken cancellationToken)
    {
        var outcomes = started.Targets;
        var converged = await ClearTargetAnnotationsAsync(@namespace, service, outcomes, cancellationToken).ConfigureAwait(false);
        if (converged is not null)
        {
            return WakeResult.RetryAfter(converged.RetryAfter ?? options.DefaultRetryAfter, converged.Reason, outcomes);
        }

        var keep = outcomes.Where(outcome => outcome.Outcome == TargetWakeOutcome.Rejected).Select(outcome => outcome.Target).ToList();
        var clearing = await ClearServiceAnnotationsAsync(@namespace, serviceName, service, current, started.ActedOn!, keep, cancellationToken).ConfigureAwait(false);
        switch (clearing.Status)
        {
            case ClearingStatus.Failed:
                var failure = clearing.Failure!;
                return failure.Kind is ApiFailureKind.Transient or ApiFailureKind.Conflict
                    ? WakeResult.RetryAfter(failure.RetryAfter ?? options.DefaultRetryAfter, $"clearing the idle annotations of {service}: {failure.Reason}", outcomes)
                    : WakeResult.Terminal($"clearing the idle annotations of {service}: {failure.Reason}", outcomes);
            case ClearingStatus.RecordChanged:
                return WakeResult.RetryAfter(TimeSpan.Zero, $"the idle record of {service} changed during the wake; the next attempt acts on the new one", outcomes);
            case ClearingStatus.ServiceGone:
                return WakeResult.Terminal($"Service {service} was deleted during the wake", outcomes);
        }

        return started with { ServiceResourceVersion = clearing.Service?.Metadata.ResourceVersion ?? started.ServiceResourceVersion, Service = clearing.Service ?? started.Service };
    }

    /// <summary>
    /// Keeps ovn-kubernetes' unidle grace open while a wake waits for its pods, where someone else
    /// (OpenShift's unidling controller) removed the idle annotations: ovn-kubernetes resyncs a
    /// Service's load balancer on every change of the Service and keeps it from rejecting for 30 s
    /// after k8s.ovn.org/unidled-at (go-controller/pkg/ovn/controller/services/lb_config.go lbOpts,
    /// pkg/util/unidling). Renewing that stamp restarts the 30 s. A Service still idled, or never
    /// stamped, is left alone. Returns the Service's resourceVersion after the renewal, or null when
    /// it renewed nothing.
    /// </summary>
    public async Task<string?> RenewUnidleGraceAsync(string @namespace, string serviceName, CancellationToken cancellationToken)
    {
        var read = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (read.Value is not { } current || IdleRecordParser.Parse(current.Metadata.Annotations).Status != IdleRecordStatus.NotIdled
            || current.Metadata.Annotations?.ContainsKey(IdleAnnotations.OvnUnidledAt) != true)
        {
            return null;
        }

        var stamp = new Dictionary<string, string?> { [IdleAnnotations.OvnUnidledAt] = IdleAnnotations.FormatTimestamp(timeProvider.GetUtcNow()) };
        var patch = new V1Patch(AnnotationPatch.Build(stamp, current.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
        var patched = await api.CallAsync(
            token => client.CoreV1.PatchNamespacedServiceAsync(patch, serviceName, @namespace, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        return patched.Value?.Metadata.ResourceVersion;
    }

    private WakeResult Failed(ApiFailure failure, string doing) => failure.Kind switch
    {
        ApiFailureKind.Transient or ApiFailureKind.Conflict => WakeResult.RetryAfter(failure.RetryAfter ?? options.DefaultRetryAfter, $"{doing}: {failure.Reason}"),
        _ => WakeResult.Terminal($"{doing}: {failure.Reason}"),
    };

    // NeedPods exactly once per idle period, by the instance that starts the wake: it is the one
    // whose conditional write of the wake-started marker succeeds. A 409 loser, or a caller that
    // finds the marker already there (a racing zone, a retry after a crash), records nothing.
    private async Task<V1Service> RecordNeedPodsOnceAsync(string @namespace, string serviceName, string service, V1Service current, CancellationToken cancellationToken)
    {
        if (current.Metadata.Annotations?.ContainsKey(IdleAnnotations.WakeStarted) == true)
        {
            return current;
        }

        var marker = new Dictionary<string, string?> { [IdleAnnotations.WakeStarted] = IdleAnnotations.FormatTimestamp(timeProvider.GetUtcNow()) };
        var patch = new V1Patch(AnnotationPatch.Build(marker, current.Metadata.ResourceVersion), V1Patch.PatchType.MergePatch);
        var claimed = await api.CallAsync(
            token => client.CoreV1.PatchNamespacedServiceAsync(patch, serviceName, @namespace, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        if (claimed.Failure is { } failure)
        {
            logger.NeedPodsFailed(service, failure.Kind == ApiFailureKind.Conflict
                ? "another caller changed the Service first; it records NeedPods if it started the wake"
                : failure.Reason);
            return current;
        }

        var body = NeedPodsEvent.Create(claimed.Value!, timeProvider.GetUtcNow(), options);
        var created = await api.CallAsync(
            token => client.CoreV1.CreateNamespacedEventAsync(body, @namespace, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        if (created.Failure is { } eventFailure)
        {
            logger.NeedPodsFailed(service, eventFailure.Reason);
        }
        else
        {
            logger.NeedPodsRecorded(service);
        }

        return claimed.Value!;
    }

    // A Warning on the Service naming the API server's reason, so `kubectl describe service`
    // says why a target stays at 0 (its entry stays in the idle record).
    private async Task RecordRefusalAsync(string service, V1Service current, IReadOnlyList<TargetWake> refused, CancellationToken cancellationToken)
    {
        var body = RefusalEvent.Create(current, refused, timeProvider.GetUtcNow(), options);
        var created = await api.CallAsync(
            token => client.CoreV1.CreateNamespacedEventAsync(body, current.Metadata.NamespaceProperty, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        if (created.Failure is { } failure)
        {
            logger.NeedPodsFailed(service, $"the {RefusalEvent.Reason} event could not be recorded: {failure.Reason}");
        }
    }
}
