using System.Globalization;
using k8s.Models;
using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Waking;

// The core/v1 Event ovn-kubernetes records on a Service whose VIP got traffic while idled, and
// that OpenShift's unidling controller reacts to. We record it for visibility and compatibility;
// nothing of ours depends on it.
public static class NeedPodsEvent
{
    public static Corev1Event Create(V1Service service, DateTimeOffset now, IdlingOptions options)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(options);
        var name = service.Metadata.Name;
        var timestamp = now.UtcDateTime;
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta
            {
                // name.<hex>, as client-go's recorder names events, with a random tail so that
                // two instances recording in the same instant do not collide.
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
            Reason = IdleAnnotations.NeedPodsReason,
            Message = IdleAnnotations.NeedPodsMessage(name),
            Type = "Normal",
            Source = new V1EventSource { Component = options.Component, Host = options.Instance },
            ReportingComponent = options.Component,
            ReportingInstance = options.Instance,
            FirstTimestamp = timestamp,
            LastTimestamp = timestamp,
            Count = 1,
        };
    }
}
