using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Options;
using OvnUnidler.Idling;
using OvnUnidler.Operator.Cluster;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// A Warning event on the Service when a wake's endpoints or backends did not appear in time, so
/// `kubectl describe service` says why traffic still fails (the rows are acknowledged anyway).
/// </summary>
public sealed class BackendsTimeoutEventRecorder(
    IKubernetes client,
    ServiceCache services,
    IOptions<IdlingOptions> options,
    TimeProvider timeProvider) : IWakeObserver
{
    public const string Reason = "BackendsNotReady";

    public async Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken)
    {
        if (!report.BackendsTimedOut)
        {
            return;
        }

        services.TryGet(report.Service, out var service);
        var now = timeProvider.GetUtcNow();
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{report.Service.Name}.{now.UtcTicks:x}{Random.Shared.Next(0x10000):x4}"),
                NamespaceProperty = report.Service.Namespace,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Service",
                Name = report.Service.Name,
                NamespaceProperty = report.Service.Namespace,
                Uid = service?.Metadata.Uid,
            },
            Reason = Reason,
            Message = $"Woken by traffic, but {report.Reason}; its Controller_Event rows were acknowledged",
            Type = "Warning",
            Source = new V1EventSource { Component = options.Value.Component, Host = options.Value.Instance },
            ReportingComponent = options.Value.Component,
            ReportingInstance = options.Value.Instance,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Count = 1,
        };
        await client.CoreV1.CreateNamespacedEventAsync(body, report.Service.Namespace, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
