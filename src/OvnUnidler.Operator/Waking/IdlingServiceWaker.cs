using OvnUnidler.Idling.Waking;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Waking;

/// <summary>The pipeline's waker: OvnUnidler.Idling's ServiceWaker, the same one the `wake` command uses.</summary>
public sealed class IdlingServiceWaker(ServiceWaker waker) : IServiceWaker
{
    public async Task<WakeAttempt> WakeAsync(ServiceKey service, CancellationToken cancellationToken)
    {
        var context = new WakeContext { Trigger = "traffic to an idled VIP (OVN Controller_Event empty_lb_backends)" };
        var result = await waker.WakeAsync(service.Namespace, service.Name, context, cancellationToken).ConfigureAwait(false);
        return result.Status switch
        {
            WakeStatus.Woken => WakeAttempt.Woken(result.ScaledUp.Count()),
            WakeStatus.AlreadyAwake => WakeAttempt.AlreadyAwake(),
            WakeStatus.NotIdled => WakeAttempt.NotIdled(),
            WakeStatus.RetryAfter => WakeAttempt.Retry(result.Reason ?? "transient failure", result.Delay),
            _ => WakeAttempt.Terminal(result.Reason ?? "cannot be woken"),
        };
    }
}
