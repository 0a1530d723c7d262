using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Operator.LeaderElection;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Pipeline;

/// <summary>
/// Runs the acting stages while this instance may act. Any stage that fails, or a lost lease,
/// stops the host: Kubernetes restarts the pod, and rows not yet acknowledged are still in the
/// Southbound for the next leader.
/// </summary>
public sealed partial class UnidlerPipeline(
    IEnumerable<IPipelineStage> stages,
    ILeadership leadership,
    IHostApplicationLifetime lifetime,
    ILogger<UnidlerPipeline> logger) : BackgroundService
{
    private readonly IPipelineStage[] stages = [.. stages];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A lost Lease faults this service: the host stops with a failure exit code, so the pod
        // restarts as a fresh candidate and `kubectl get pods` shows why.
        if (await leadership.RunWhileLeadingAsync(RunStagesAsync, stoppingToken).ConfigureAwait(false))
        {
            throw new LeadershipLostException("the Lease was lost; the pipeline stopped acting");
        }
    }

    private async Task RunStagesAsync(CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = stages.Select(stage => RunStageAsync(stage, failed)).ToArray();
        await Task.WhenAll(running).ConfigureAwait(false);
    }

    private async Task RunStageAsync(IPipelineStage stage, CancellationTokenSource failed)
    {
        try
        {
            await stage.RunAsync(failed.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (failed.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogStageFailed(logger, exception, stage.Name);
            await failed.CancelAsync().ConfigureAwait(false);
            lifetime.StopApplication();
        }
    }

    [LoggerMessage(EventId = EventIds.PipelineFaulted, EventName = nameof(EventIds.PipelineFaulted), Level = LogLevel.Critical,
        Message = "Pipeline stage {Stage} failed; stopping the operator")]
    private static partial void LogStageFailed(ILogger logger, Exception exception, string stage);
}
