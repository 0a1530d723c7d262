using System.Net;
using k8s.Autorest;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Holding;

namespace OvnUnidler.Operator.Controllers;

/// <summary>Feeds ended holds into the Idler status (lastHold); nothing while the Idler CRD is not installed.</summary>
public sealed class IdlerHoldRecorder(IdlerController controller, CustomResourceAvailability<V1Alpha1Idler> idlers) : IHoldEndObserver
{
    public async Task OnHoldEndedAsync(HoldSummary summary, CancellationToken cancellationToken)
    {
        if (!idlers.IsServed)
        {
            return;
        }

        try
        {
            await controller.RecordHoldAsync(summary, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The Idler was deleted meanwhile, or the CRD was, which the Idler controller's watch reports.
        }
    }
}
