using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.DependencyInjection;
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
    LeaderElectionOptions settings,
    string leaseName,
    Action<bool>? leading,
    ILogger<LeaseLeadership> logger) : ILeadership
{
    /// <summary>The Lease of the acting pipeline (central mode).</summary>
    public static LeaseLeadership ForPipeline(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
        var metrics = provider.GetRequiredService<UnidlerMetrics>();
        return new LeaseLeadership(
            provider.GetRequiredService<IKubernetes>(), options, options.LeaseName, metrics.Leading,
            provider.GetRequiredService<ILogger<LeaseLeadership>>());
    }

    /// <summary>
    /// The Lease of the custom-resource controllers, in both modes: per-zone instances run one per
    /// node, and one reconciler of Idlers is enough for the whole cluster.
    /// </summary>
    public static LeaseLeadership ForControllers(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
        return new LeaseLeadership(
            provider.GetRequiredService<IKubernetes>(), options, options.LeaseName + "-controllers", null,
            provider.GetRequiredService<ILogger<LeaseLeadership>>());
    }

    public async Task<bool> RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var identity = settings.Identity ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;
        var lockNamespace = settings.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "ovn-unidler";
        var backoff = new Resilience.Backoff(settings.RetryPeriod, TimeSpan.FromSeconds(30));
        while (true)
        {
            var (acquired, lost) = await LeadOnceAsync(work, identity, lockNamespace, cancellationToken).ConfigureAwait(false);
            if (acquired || cancellationToken.IsCancellationRequested)
            {
                return lost;
            }

            // The Lease could not even be read (API server unreachable): nothing was done as
            // leader, so campaigning again is safe, and the process stays up through the outage.
            try
            {
                await Task.Delay(backoff.Next(), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }
    }

    private async Task<(bool Acquired, bool Lost)> LeadOnceAsync(
        Func<CancellationToken, Task> work, string identity, string lockNamespace, CancellationToken cancellationToken)
    {
        var leaseLock = new LeaseLock(client, lockNamespace, leaseName, identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(leaseLock)
        {
            LeaseDuration = settings.LeaseDuration,
            RenewDeadline = settings.RenewDeadline,
            RetryPeriod = settings.RetryPeriod,
        });
        using var leadingScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        elector.OnStartedLeading += () =>
        {
            leading?.Invoke(true);
            LogAcquired(logger, identity, leaseName);
            started.TrySetResult();
        };
        elector.OnStoppedLeading += () =>
        {
            leading?.Invoke(false);
            leadingScope.Cancel();
        };

        var election = elector.RunUntilLeadershipLostAsync(leadingScope.Token);
        await Task.WhenAny(started.Task, election).ConfigureAwait(false);
        var acquired = started.Task.IsCompletedSuccessfully;
        if (acquired)
        {
            try
            {
                await work(leadingScope.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (leadingScope.IsCancellationRequested)
            {
            }
        }

        await leadingScope.CancelAsync().ConfigureAwait(false);
        try
        {
            await election.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception exception) when (!acquired)
        {
            LogCampaignFailed(logger, exception, identity, leaseName);
            return (false, false);
        }

        var lost = acquired && !cancellationToken.IsCancellationRequested;
        if (lost)
        {
            LogLost(logger, identity, leaseName);
        }

        return (acquired, lost);
    }

    [LoggerMessage(EventId = EventIds.LeadershipAcquired, EventName = nameof(EventIds.LeadershipAcquired), Level = LogLevel.Information,
        Message = "{Identity} now leads through Lease {Lease}")]
    private static partial void LogAcquired(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = EventIds.LeadershipCampaignFailed, EventName = nameof(EventIds.LeadershipCampaignFailed), Level = LogLevel.Warning,
        Message = "{Identity} could not campaign for Lease {Lease}; trying again")]
    private static partial void LogCampaignFailed(ILogger logger, Exception exception, string identity, string lease);

    [LoggerMessage(EventId = EventIds.LeadershipLost, EventName = nameof(EventIds.LeadershipLost), Level = LogLevel.Warning,
        Message = "{Identity} lost Lease {Lease}; stopping so that the new leader alone acts")]
    private static partial void LogLost(ILogger logger, string identity, string lease);
}
