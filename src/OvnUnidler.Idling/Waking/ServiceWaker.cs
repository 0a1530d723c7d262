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
        workloads = new WorkloadClient(client, timeProvider);
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
            return WakeResult.NotIdled();
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

        var converged = await ClearTargetAnnotationsAsync(@namespace, service, outcomes, cancellationToken).ConfigureAwait(false);
        if (converged is not null)
        {
            return WakeResult.RetryAfter(converged.RetryAfter ?? options.DefaultRetryAfter, converged.Reason, outcomes);
        }

        var clearing = await ClearServiceAnnotationsAsync(@namespace, serviceName, service, read.Value, record, cancellationToken).ConfigureAwait(false);
        var scaled = outcomes.Any(outcome => outcome.Outcome == TargetWakeOutcome.ScaledUp);
        if (scaled && context.RecordEvent && clearing.Status != ClearingStatus.ServiceGone)
        {
            // Once per scale-up: a later call that finds the targets running records nothing.
            await RecordNeedPodsAsync(service, clearing.Service ?? read.Value, cancellationToken).ConfigureAwait(false);
        }

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

        var terminal = outcomes.Where(outcome => outcome.IsTerminal).ToList();
        var notes = terminal.Count == 0 ? null : string.Join("; ", terminal.Select(outcome => $"{outcome.Target}: {outcome.Detail}"));
        if (scaled)
        {
            return WakeResult.Woken(outcomes, notes);
        }

        return terminal.Count == outcomes.Count
            ? WakeResult.Terminal($"no target of Service {service} could be woken: {notes}", outcomes)
            : WakeResult.AlreadyAwake(outcomes, notes);
    }

    private WakeResult Failed(ApiFailure failure, string doing) => failure.Kind switch
    {
        ApiFailureKind.Transient or ApiFailureKind.Conflict => WakeResult.RetryAfter(failure.RetryAfter ?? options.DefaultRetryAfter, $"{doing}: {failure.Reason}"),
        _ => WakeResult.Terminal($"{doing}: {failure.Reason}"),
    };

    private async Task RecordNeedPodsAsync(string service, V1Service current, CancellationToken cancellationToken)
    {
        var body = NeedPodsEvent.Create(current, timeProvider.GetUtcNow(), options);
        var created = await api.CallAsync(
            token => client.CoreV1.CreateNamespacedEventAsync(body, current.Metadata.NamespaceProperty, cancellationToken: token),
            cancellationToken).ConfigureAwait(false);
        if (created.Failure is { } failure)
        {
            logger.NeedPodsFailed(service, failure.Reason);
        }
        else
        {
            logger.NeedPodsRecorded(service);
        }
    }
}
