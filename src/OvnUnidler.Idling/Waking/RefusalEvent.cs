using System.Globalization;
using k8s.Models;

namespace OvnUnidler.Idling.Waking;

// The Warning event recorded on a Service when the API server refuses to wake one of its targets
// for good (403, 400, 422, ...): the target's entry stays in the idle record, and this says why.
public static class RefusalEvent
{
    public const string Reason = "WakeRefused";

    public static Corev1Event Create(V1Service service, IReadOnlyList<TargetWake> refused, DateTimeOffset now, IdlingOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(refused);
        ArgumentNullException.ThrowIfNull(options);
        var name = service.Metadata.Name;
        var timestamp = now.UtcDateTime;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                Name = string.Create(CultureInfo.InvariantCulture, $"{name}.{now.UtcTicks:x}{Random.Shared.Next(0x10000):x4}"),
                NamespaceProperty = service.Metadata.NamespaceProperty,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "v1",
                Kind = "Service",
                Name = name,
                NamespaceProperty = service.Metadata.NamespaceProperty,
                Uid = service.Metadata.Uid,
                ResourceVersion = service.Metadata.ResourceVersion,
            },
            Reason = Reason,
            Message = "Not woken, kept in the idle record: " + string.Join("; ", refused.Select(target => $"{target.Target} ({target.Detail})")),
            Type = "Warning",
            Source = new V1EventSource { Component = options.Component, Host = options.Instance },
            ReportingComponent = options.Component,
            ReportingInstance = options.Instance,
            FirstTimestamp = timestamp,
            LastTimestamp = timestamp,
            Count = 1,
        };
    }
}
