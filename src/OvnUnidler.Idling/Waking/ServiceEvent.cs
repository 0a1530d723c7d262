using System.Globalization;
using k8s.Models;

namespace OvnUnidler.Idling.Waking;

// A core/v1 Event about a Service, shaped as client-go's recorder writes one.
public static class ServiceEvent
{
    public static Corev1Event Create(V1Service service, string type, string reason, string message, DateTimeOffset now, IdlingOptions options)
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
            Reason = reason,
            Message = message,
            Type = type,
            Source = new V1EventSource { Component = options.Component, Host = options.Instance },
            ReportingComponent = options.Component,
            ReportingInstance = options.Instance,
            FirstTimestamp = timestamp,
            LastTimestamp = timestamp,
            Count = 1,
        };
    }
}
