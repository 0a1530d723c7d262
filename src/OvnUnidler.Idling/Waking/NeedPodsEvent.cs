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
        return ServiceEvent.Create(service, "Normal", IdleAnnotations.NeedPodsReason, IdleAnnotations.NeedPodsMessage(service.Metadata.Name), now, options);
    }
}
