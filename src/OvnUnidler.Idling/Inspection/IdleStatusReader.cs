using k8s;
using k8s.Autorest;
using k8s.Models;
using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Api;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Inspection;

// Reads, never writes: whether Services are idled, since when, and each target's recorded and
// current replicas. Failing to read a Service or list throws (KubernetesClient's exceptions);
// failing to read one target's scale is reported on that target.
public sealed class IdleStatusReader
{
    private readonly IKubernetes client;
    private readonly ApiCaller api;
    private readonly WorkloadClient workloads;
    private readonly WorkloadDiscovery discovery;

    public IdleStatusReader(IKubernetes client, TimeProvider timeProvider, IdlingOptions? options = null)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
        api = new ApiCaller(options ?? new IdlingOptions(), timeProvider ?? throw new ArgumentNullException(nameof(timeProvider)));
        workloads = new WorkloadClient(client, timeProvider);
        discovery = new WorkloadDiscovery(workloads, api);
    }

    // Null when the Service does not exist.
    public async Task<ServiceIdleStatus?> ReadAsync(string @namespace, string serviceName, CancellationToken cancellationToken)
    {
        V1Service service;
        try
        {
            service = await client.CoreV1.ReadNamespacedServiceAsync(serviceName, @namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        return await DescribeAsync(service, cancellationToken).ConfigureAwait(false);
    }

    // Every Service of a namespace, or of all namespaces when it is null, idled or not.
    public async Task<IReadOnlyList<ServiceIdleStatus>> ListAsync(string? @namespace, CancellationToken cancellationToken)
    {
        var services = @namespace is null
            ? await client.CoreV1.ListServiceForAllNamespacesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CoreV1.ListNamespacedServiceAsync(@namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var statuses = new List<ServiceIdleStatus>();
        foreach (var service in services.Items.OrderBy(item => item.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(item => item.Metadata.Name, StringComparer.Ordinal))
        {
            statuses.Add(await DescribeAsync(service, cancellationToken).ConfigureAwait(false));
        }

        return statuses;
    }

    private async Task<ServiceIdleStatus> DescribeAsync(V1Service service, CancellationToken cancellationToken)
    {
        var @namespace = service.Metadata.NamespaceProperty;
        var annotations = service.Metadata.Annotations;
        var parsed = IdleRecordParser.Parse(annotations);
        var status = new ServiceIdleStatus(@namespace, service.Metadata.Name)
        {
            Record = parsed.Status,
            Problem = parsed.Reason,
            IdledAtValue = parsed.Record?.IdledAtValue,
            UnidledAtValue = annotations?.TryGetValue(IdleAnnotations.OvnUnidledAt, out var unidledAt) == true ? unidledAt : null,
        };
        if (parsed.Record is not { } record)
        {
            return status;
        }

        var targets = record.Targets;
        if (!record.HasTargetsAnnotation)
        {
            var found = await discovery.FindAsync(@namespace, service.Spec?.Selector, cancellationToken).ConfigureAwait(false);
            if (found.Failure is { } failure)
            {
                return status with { Problem = $"finding the workloads: {failure.Reason}" };
            }

            targets = found.Value!
                .Where(workload => workload.Annotations.ContainsKey(IdleAnnotations.PreviousScale))
                .Select(workload => IdleTarget.Create(
                    workload.Scalable,
                    workload.Name,
                    Math.Max(IdleRecordParser.ParsePreviousScale(workload.Annotations[IdleAnnotations.PreviousScale]) ?? 1, 1)))
                .ToList();
            status = status with { TargetsFromPreviousScale = true };
        }

        var described = new List<TargetIdleStatus>();
        foreach (var target in targets)
        {
            var scale = await api.CallAsync(token => workloads.ReadScaleAsync(target.Scalable, @namespace, target.Name, token), cancellationToken).ConfigureAwait(false);
            described.Add(scale.Failure is { } failure
                ? new TargetIdleStatus(target, null, failure.Kind == ApiFailureKind.NotFound ? $"{target} does not exist" : failure.Reason)
                : new TargetIdleStatus(target, scale.Value!.Replicas));
        }

        return status with { Targets = described };
    }
}
