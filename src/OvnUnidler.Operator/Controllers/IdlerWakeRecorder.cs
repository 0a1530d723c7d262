using System.Net;
using k8s.Autorest;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Waking;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Feeds wakes done by the pipeline into the Idler status (wake count, last wake, latency, row; a
/// refused target as a condition);
/// nothing while the Idler CRD is not installed.
/// </summary>
public sealed class IdlerWakeRecorder(IdlerController controller, CustomResourceAvailability<V1Alpha1Idler> idlers) : IWakeObserver
{
    public async Task OnWakeFinishedAsync(WakeReport report, CancellationToken cancellationToken)
    {
        if (report.Outcome != EventOutcome.Woken && report.Refusal is null || !idlers.IsServed)
        {
            return;
        }

        try
        {
            await controller.RecordWakeAsync(report, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The Idler was deleted meanwhile, or the CRD was, which the Idler controller's watch reports.
        }
    }
}
