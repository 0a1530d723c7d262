using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Observability;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Idle;

// Idles a Service as `oc idle` does, on any Kubernetes: finds its targets from the pods behind its
// endpoints (ServiceTargetFinder), records each target and its replicas in the OpenShift
// annotations on the Service FIRST (so a crash midway leaves a record from which waking restores
// everything), then scales each target to 0 through /scale, conditional on the version read, and
// stamps previous-scale and idled-at on DeploymentConfigs and ReplicationControllers.
// Unlike oc, StatefulSets are allowed: their scale subresource works like the others'.
public sealed partial class ServiceIdler
{
    private const int RestoreAttempts = 5;
    private readonly IKubernetes client;
    private readonly TimeProvider timeProvider;
    private readonly ILogger logger;
    private readonly IdlingOptions options;
    private readonly ApiCaller api;
    private readonly WorkloadClient workloads;
    private readonly ServiceTargetFinder finder;

    public ServiceIdler(IKubernetes client, TimeProvider timeProvider, ILogger<ServiceIdler>? logger = null, IdlingOptions? options = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        this.timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        this.logger = logger ?? NullLogger<ServiceIdler>.Instance;
        this.options = options ?? new IdlingOptions();
        api = new ApiCaller(this.options, timeProvider);
        workloads = new WorkloadClient(client, timeProvider);
        finder = new ServiceTargetFinder(client, workloads, api);
    }

    public async Task<IdleResult> IdleAsync(string @namespace, string serviceName, IdleRequest request, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentNullException.ThrowIfNull(request);
        var service = $"{@namespace}/{serviceName}";
        using var scope = logger.BeginScope(new Dictionary<string, object?> { ["Service"] = service });
        var result = await IdleCoreAsync(@namespace, serviceName, service, request, cancellationToken).ConfigureAwait(false);
        switch (result.Status)
        {
            case IdleStatus.Terminal:
                logger.IdleFailed(service, result.Reason ?? "");
                break;
            case IdleStatus.RetryAfter:
                logger.IdleRetry(service, result.Delay ?? TimeSpan.Zero, result.Reason ?? "");
                break;
            case IdleStatus.Planned:
                logger.IdlePlanned(service, Describe(result.Targets.Select(target => target.Target)));
                break;
        }

        return result;
    }

    private async Task<IdleResult> IdleCoreAsync(string @namespace, string serviceName, string service, IdleRequest request, CancellationToken cancellationToken)
    {
        var read = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (read.Failure is { } readFailure)
        {
            return readFailure.Kind == ApiFailureKind.NotFound ? Terminal($"Service {service} does not exist") : Failed(readFailure, $"reading Service {service}");
        }

        var existing = RecordedTargets(read.Value!, service, out var brokenRecord);
        if (brokenRecord is not null)
        {
            return Terminal(brokenRecord);
        }

        var (wanted, problem) = await WantedTargetsAsync(@namespace, serviceName, service, existing, request, cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        var observed = new List<ObservedTarget>();
        var skipped = new List<IdleTargetResult>();
        var chains = new Dictionary<(ScalableKind, string), IReadOnlyList<string>>();
        foreach (var (scalable, name, requested, found) in wanted)
        {
            chains[(scalable, name)] = found;
            var scale = await api.CallAsync(token => workloads.ReadScaleAsync(scalable, @namespace, name, token), cancellationToken).ConfigureAwait(false);
            switch (scale.Failure?.Kind)
            {
                case null:
                    observed.Add(new ObservedTarget(scalable, name, scale.Value!.Replicas) { RequestedReplicas = requested });
                    break;
                case ApiFailureKind.NotFound:
                    skipped.Add(new IdleTargetResult(IdleTarget.Create(scalable, name, requested ?? 1), null, IdleTargetOutcome.NotFound, $"{scalable.Kind}/{name} does not exist") { Chains = found });
                    break;
                case ApiFailureKind.Rejected:
                    skipped.Add(new IdleTargetResult(IdleTarget.Create(scalable, name, requested ?? 1), null, IdleTargetOutcome.Rejected, scale.Failure.Reason) { Chains = found });
                    break;
                default:
                    // Nothing is written yet, so giving up here leaves everything as it was.
                    return Failed(scale.Failure!, $"reading the scale of {scalable.Kind}/{name}");
            }
        }

        if (observed.Count == 0)
        {
            return Terminal($"no target of Service {service} can be idled: {string.Join("; ", skipped.Select(result => result.Detail))}", skipped);
        }

        var now = timeProvider.GetUtcNow();
        var merged = IdleRecordWriter.Merge(existing, observed);
        var annotations = IdleRecordWriter.ServiceAnnotations(merged, now);
        var plan = Plan(merged, observed, chains);
        if (request.DryRun)
        {
            return new IdleResult { Status = IdleStatus.Planned, Targets = [.. plan, .. skipped], ServiceAnnotations = annotations, IdledAt = now };
        }

        var recorded = await RecordOnServiceAsync(@namespace, serviceName, service, read.Value!, observed, now, cancellationToken).ConfigureAwait(false);
        if (recorded.Result is { } notRecorded)
        {
            return notRecorded with { Targets = [.. plan, .. skipped] };
        }

        merged = recorded.Targets!;
        logger.IdleRecorded(service, merged.Count, Describe(merged));
        var results = new List<IdleTargetResult>();
        foreach (var target in merged)
        {
            var current = observed.FirstOrDefault(entry => entry.Scalable == target.Scalable && entry.Name == target.Name);
            results.Add(current is null
                ? new IdleTargetResult(target, null, IdleTargetOutcome.KeptFromEarlierIdle)
                : await ScaleToZeroAsync(@namespace, service, target, current.CurrentReplicas, now, cancellationToken).ConfigureAwait(false) with { Chains = ChainsOf(chains, target) });
        }

        results.AddRange(skipped);
        if (await WokenMeanwhileAsync(@namespace, serviceName, service, results, cancellationToken).ConfigureAwait(false) is { } woken)
        {
            return woken;
        }

        var failed = results.Where(result => result.Outcome == IdleTargetOutcome.Failed).ToList();
        if (failed.Count > 0)
        {
            return new IdleResult
            {
                Status = IdleStatus.RetryAfter,
                Delay = options.DefaultRetryAfter,
                Reason = string.Join("; ", failed.Select(result => $"{result.Target}: {result.Detail}")),
                Targets = results,
                ServiceAnnotations = recorded.Annotations!,
                IdledAt = now,
            };
        }

        return new IdleResult { Status = IdleStatus.Idled, Targets = results, ServiceAnnotations = recorded.Annotations!, IdledAt = now };
    }

    // A wake that ran between our annotate and our scale to 0 found the targets running and
    // removed the annotations; our scale then left the Service at 0 with nothing recording what
    // to restore, and no traffic could wake it. So the record is checked once the targets are at
    // 0: if it is gone, the wake won, and the targets we scaled down go back to their replicas
    // (only those still at 0, conditionally, so a later wake or idle is never undone).
    private async Task<IdleResult?> WokenMeanwhileAsync(
        string @namespace, string serviceName, string service, IReadOnlyList<IdleTargetResult> results, CancellationToken cancellationToken)
    {
        // A failed scale may still have been applied (a timeout after the server wrote it): check those too.
        var scaledDown = results.Where(result => result.Outcome is IdleTargetOutcome.ScaledToZero or IdleTargetOutcome.Failed).ToList();
        if (scaledDown.Count == 0)
        {
            return null;
        }

        var read = await api.CallAsync(token => client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: token), cancellationToken).ConfigureAwait(false);
        if (read.Failure is not null || IdleRecordParser.Parse(read.Value!.Metadata.Annotations).Status != IdleRecordStatus.NotIdled)
        {
            // Still idled (or unknown: the next idle or wake converges it, both keep the record).
            return null;
        }

        foreach (var result in scaledDown)
        {
            await RestoreIfAtZeroAsync(@namespace, result.Target, cancellationToken).ConfigureAwait(false);
        }

        return Terminal(
            $"Service {service} was woken while it was being idled (its idle annotations were removed before its targets reached 0); its targets were scaled back up",
            results);
    }

    // The restore is conditional on the scale read, and the workload's controller writes its status
    // (each pod it removes moves the resourceVersion) while the scale-down settles: a 409 means
    // read again, not give up, or the Service stays at 0 with no record. Gives up only when the
    // target is no longer at 0 (someone else scaled it) or the API keeps failing otherwise.
    private async Task RestoreIfAtZeroAsync(string @namespace, IdleTarget target, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= RestoreAttempts; attempt++)
        {
            var scale = await api.CallAsync(token => workloads.ReadScaleAsync(target.Scalable, @namespace, target.Name, token), cancellationToken).ConfigureAwait(false);
            if (scale.Value is not { Replicas: 0 } atZero)
            {
                return;
            }

            var written = await api.CallAsync(token => workloads.WriteScaleAsync(target.Scalable, @namespace, target.Name, atZero, target.Replicas, token), cancellationToken)
                .ConfigureAwait(false);
            if (written.Failure?.Kind is not ApiFailureKind.Conflict)
            {
                return;
            }
        }
    }

    private static IReadOnlyList<IdleTarget> RecordedTargets(V1Service service, string name, out string? broken)
    {
        var parsed = IdleRecordParser.Parse(service.Metadata.Annotations);
        broken = parsed.Status == IdleRecordStatus.Invalid
            ? $"the idle annotations already on Service {name} are broken ({parsed.Reason}); fix or remove them before idling it again"
            : null;
        return parsed.Record?.Targets ?? [];
    }

    private static List<IdleTargetResult> Plan(
        IReadOnlyList<IdleTarget> merged, IReadOnlyList<ObservedTarget> observed, Dictionary<(ScalableKind, string), IReadOnlyList<string>> chains) =>
        merged.Select(target => observed.FirstOrDefault(entry => entry.Scalable == target.Scalable && entry.Name == target.Name) is { } current
            ? new IdleTargetResult(target, current.CurrentReplicas, IdleTargetOutcome.Planned) { Chains = ChainsOf(chains, target) }
            : new IdleTargetResult(target, null, IdleTargetOutcome.KeptFromEarlierIdle)).ToList();

    private static IReadOnlyList<string> ChainsOf(Dictionary<(ScalableKind, string), IReadOnlyList<string>> chains, IdleTarget target) =>
        chains.GetValueOrDefault((target.Scalable, target.Name)) ?? [];

    private IdleResult Failed(ApiFailure failure, string doing) => failure.Kind is ApiFailureKind.Transient or ApiFailureKind.Conflict
        ? new IdleResult { Status = IdleStatus.RetryAfter, Delay = failure.RetryAfter ?? options.DefaultRetryAfter, Reason = $"{doing}: {failure.Reason}" }
        : Terminal($"{doing}: {failure.Reason}");

    private static IdleResult Terminal(string reason, IReadOnlyList<IdleTargetResult>? targets = null) =>
        new() { Status = IdleStatus.Terminal, Reason = reason, Targets = targets ?? [] };

    private static string Describe(IEnumerable<IdleTarget> targets) =>
        string.Join(", ", targets.Select(target => $"{target} ({target.Replicas})"));
}
