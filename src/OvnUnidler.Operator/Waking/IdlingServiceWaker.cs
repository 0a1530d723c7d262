using OvnUnidler.Idling.Waking;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Waking;

/// <summary>The pipeline's waker: OvnUnidler.Idling's ServiceWaker, the same one the `wake` command uses.</summary>
public sealed class IdlingServiceWaker(ServiceWaker waker) : IServiceWaker
{
    private static readonly WakeContext Traffic = new()
    {
        Trigger = "traffic to an idled VIP (OVN Controller_Event empty_lb_backends)",
        KeepAnnotations = true,
    };

    public async Task<WakeAttempt> WakeAsync(ServiceKey service, CancellationToken cancellationToken) =>
        From(await waker.WakeAsync(service.Namespace, service.Name, Traffic, cancellationToken).ConfigureAwait(false), kept: true);

    public async Task<WakeAttempt> FinishAsync(ServiceKey service, WakeAttempt started, CancellationToken cancellationToken)
    {
        if (started.State is not WakeResult result)
        {
            return started with { AnnotationsKept = false };
        }

        return From(await waker.FinishWakeAsync(service.Namespace, service.Name, result, cancellationToken).ConfigureAwait(false), kept: false);
    }

    public Task<string?> RenewGraceAsync(ServiceKey service, CancellationToken cancellationToken) =>
        waker.RenewUnidleGraceAsync(service.Namespace, service.Name, cancellationToken);

    private static WakeAttempt From(WakeResult result, bool kept)
    {
        var refused = result.Refused.ToList();
        var attempt = result.Status switch
        {
            WakeStatus.Woken => WakeAttempt.Woken(result.ScaledUp.Count()),
            WakeStatus.AlreadyAwake => WakeAttempt.AlreadyAwake(),
            WakeStatus.NotIdled => WakeAttempt.NotIdled(),
            WakeStatus.RetryAfter => WakeAttempt.Retry(result.Reason ?? "transient failure", result.Delay),
            _ => WakeAttempt.Terminal(result.Reason ?? "cannot be woken"),
        };
        return attempt with
        {
            Refusal = refused.Count == 0 ? null : string.Join("; ", refused.Select(target => $"{target.Target}: {target.Detail}")),
            AnnotationsKept = kept && result.Status is WakeStatus.Woken or WakeStatus.AlreadyAwake,
            ServiceResourceVersion = result.ServiceResourceVersion,
            State = result,
        };
    }
}
