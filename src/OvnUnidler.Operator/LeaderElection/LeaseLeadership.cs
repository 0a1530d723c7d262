using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.LeaderElection;

/// <summary>
/// Central mode: replicas compete for a coordination.k8s.io Lease and only the holder acts. A
/// standby takes over once the lease expires (LeaseDuration). Losing the lease cancels the work
/// at once, before anything else is scaled or deleted, and the caller stops the process.
/// </summary>
public sealed partial class LeaseLeadership(
    IKubernetes client,
    IOptions<LeaderElectionOptions> options,
    UnidlerMetrics metrics,
    ILogger<LeaseLeadership> logger) : ILeadership
{
    public async Task<bool> RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var identity = settings.Identity ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;
        var lockNamespace = settings.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "ovn-unidler";
        var leaseLock = new LeaseLock(client, lockNamespace, settings.LeaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        });
        using var leading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () =>
        {
            metrics.Leading(true);
            LogAcquired(logger, identity, settings.LeaseName);
            started.TrySetResult();
        };
        elector.OnStoppedLeading += () =>
        {
            metrics.Leading(false);
            leading.Cancel();
        };

        var election = elector.RunUntilLeadershipLostAsync(leading.Token);
        await Task.WhenAny(started.Task, election).ConfigureAwait(false);
        if (started.Task.IsCompletedSuccessfully)
        {
            try
            {
                await work(leading.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (leading.IsCancellationRequested)
            {
            }
        }

        await leading.CancelAsync().ConfigureAwait(false);
        try
        {
            await election.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        var lost = !cancellationToken.IsCancellationRequested;
        if (lost)
        {
            LogLost(logger, identity, settings.LeaseName);
        }

        return lost;
    }

    [LoggerMessage(EventId = EventIds.LeadershipAcquired, Level = LogLevel.Information,
        Message = "{Identity} now leads through Lease {Lease}")]
    private static partial void LogAcquired(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = EventIds.LeadershipLost, Level = LogLevel.Warning,
        Message = "{Identity} lost Lease {Lease}; stopping so that the new leader alone acts")]
    private static partial void LogLost(ILogger logger, string identity, string lease);
}
