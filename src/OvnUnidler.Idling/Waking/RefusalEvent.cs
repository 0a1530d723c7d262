using k8s.Models;

namespace OvnUnidler.Idling.Waking;

// The Warning event recorded on a Service when the API server refuses to wake one of its targets
// for good (403, 400, 422, ...): the target's entry stays in the idle record, and this says why.
public static class RefusalEvent
{
    public const string Reason = "WakeRefused";

    public static Corev1Event Create(V1Service service, IReadOnlyList<TargetWake> refused, DateTimeOffset now, IdlingOptions options)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return ServiceEvent.Create(service, "Warning", Reason,
            "Not woken, kept in the idle record: " + string.Join("; ", refused.Select(target => $"{target.Target} ({target.Detail})")), now, options);
    }
}
