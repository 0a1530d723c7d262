using System.Runtime.ExceptionServices;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.LeaderElection;

/// <summary>
/// Leader election on a Lease, with client-go's timing rules (KubernetesClient's own elector gives
/// the Lease up at the first connection error of a renewal):
/// <list type="bullet">
/// <item>A candidate tries to take the Lease every RetryPeriod (plus up to 20 % jitter).</item>
/// <item>The leader renews every RetryPeriod. An attempt that fails in any way (connection error,
/// timeout, 5xx, a conflicting write) is retried at the next RetryPeriod; an attempt is abandoned
/// after a quarter of the RenewDeadline (at least one RetryPeriod), so a hung request costs one
/// attempt, not the deadline, and a slow but answering API server still renews.</item>
/// <item>The leader stops acting the moment RenewDeadline has passed since the start of its last
/// successful renewal (a timer, not the next attempt), or at once when another holder is seen.
/// Counting from the start rather than the reply is stricter than client-go: a standby measures
/// LeaseDuration from when it saw that renewal, which is after it was sent.</item>
/// <item>A graceful stop first stops the work, then clears the holder, so that a standby takes
/// over at its next attempt instead of waiting for the Lease to expire.</item>
/// </list>
/// </summary>
public sealed partial class LeaseLeadership(
    ILeaseClient lease,
    LeaderElectionOptions settings,
    TimeProvider timeProvider,
    Action<bool>? leading,
    ILogger<LeaseLeadership> logger) : ILeadership
{
    private const double Jitter = 0.2;

    /// <summary>The Lease of the acting pipeline (central mode).</summary>
    public static LeaseLeadership ForPipeline(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
        return Create(provider, options, options.LeaseName, provider.GetRequiredService<UnidlerMetrics>().Leading);
    }

    /// <summary>
    /// The Lease of the custom-resource controllers, in both modes: per-zone instances run one per
    /// node, and one reconciler of Idlers is enough for the whole cluster.
    /// </summary>
    public static LeaseLeadership ForControllers(IServiceProvider provider)
    {
        var options = provider.GetRequiredService<IOptions<LeaderElectionOptions>>().Value;
        return Create(provider, options, options.LeaseName + "-controllers", null);
    }

    public async Task<bool> RunWhileLeadingAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        var renewed = await CampaignAsync(cancellationToken).ConfigureAwait(false);
        return renewed is { } start && await LeadAsync(work, start, cancellationToken).ConfigureAwait(false);
    }

    private static LeaseLeadership Create(IServiceProvider provider, LeaderElectionOptions options, string leaseName, Action<bool>? leading)
    {
        var identity = options.Identity ?? Environment.GetEnvironmentVariable("POD_NAME") ?? Environment.MachineName;
        var leaseNamespace = options.LeaseNamespace ?? Environment.GetEnvironmentVariable("POD_NAMESPACE") ?? "ovn-unidler";
        var timeProvider = provider.GetRequiredService<TimeProvider>();
        var client = new KubernetesLeaseClient(
            provider.GetRequiredService<IKubernetes>(), leaseNamespace, leaseName, identity, options.LeaseDuration, timeProvider);
        return new LeaseLeadership(client, options, timeProvider, leading, provider.GetRequiredService<ILogger<LeaseLeadership>>());
    }

    /// <summary>Until the Lease is taken; returns when the successful attempt started, or null when stopped first.</summary>
    private async Task<long?> CampaignAsync(CancellationToken cancellationToken)
    {
        var failures = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = timeProvider.GetTimestamp();
            var attempt = await AttemptAsync(cancellationToken).ConfigureAwait(false);
            if (attempt.Result == LeaseAttemptResult.Held)
            {
                return started;
            }

            // One warning per outage, not one per retry period.
            if (attempt.Result != LeaseAttemptResult.Failed)
            {
                failures = 0;
            }
            else if (failures++ == 0 && !cancellationToken.IsCancellationRequested)
            {
                LogCampaignFailed(logger, attempt.Error, lease.Identity, lease.Lease);
            }

            var pause = settings.RetryPeriod * (1 + (Jitter * Random.Shared.NextDouble()));
            try
            {
                await Task.Delay(Later(pause - timeProvider.GetElapsedTime(started)), timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>Runs the work while renewing; true when the Lease was lost, false after a graceful stop.</summary>
    private async Task<bool> LeadAsync(Func<CancellationToken, Task> work, long renewedAt, CancellationToken cancellationToken)
    {
        using var acting = new CancellationTokenSource();
        string? lossReason = null;
        void Lose(string reason)
        {
            if (Interlocked.CompareExchange(ref lossReason, reason, null) is null)
            {
                acting.Cancel();
                leading?.Invoke(false);
                LogLost(logger, lease.Identity, lease.Lease, reason);
            }
        }

        var deadline = timeProvider.CreateTimer(
            _ => Lose($"no renewal succeeded within the renew deadline ({settings.RenewDeadline})"),
            null, Later(settings.RenewDeadline - timeProvider.GetElapsedTime(renewedAt)), Timeout.InfiniteTimeSpan);
        leading?.Invoke(true);
        LogAcquired(logger, lease.Identity, lease.Lease);
        var working = RunWorkAsync(work, acting);
        try
        {
            await RenewAsync(renewedAt, deadline, acting, Lose, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            await deadline.DisposeAsync().ConfigureAwait(false);
        }

        // From here a late deadline timer changes nothing (and cancels nothing disposed).
        var lost = Interlocked.CompareExchange(ref lossReason, string.Empty, null) is not null;
        if (!lost)
        {
            await acting.CancelAsync().ConfigureAwait(false);
            leading?.Invoke(false);
        }

        // Whatever ends the leadership, nothing acts any more once the work has returned.
        var failure = await StoppedAsync(working).ConfigureAwait(false);
        if (!lost)
        {
            await ReleaseAsync().ConfigureAwait(false);
        }

        failure?.Throw();
        return lost;
    }

    private async Task RenewAsync(long renewedAt, ITimer deadline, CancellationTokenSource acting, Action<string> lose, CancellationToken cancellationToken)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(acting.Token, cancellationToken);
        var attemptStarted = renewedAt;
        while (true)
        {
            try
            {
                await Task.Delay(Later(settings.RetryPeriod - timeProvider.GetElapsedTime(attemptStarted)), timeProvider, stopping.Token)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            attemptStarted = timeProvider.GetTimestamp();
            var attempt = await AttemptAsync(stopping.Token).ConfigureAwait(false);
            if (stopping.IsCancellationRequested)
            {
                return;
            }

            switch (attempt.Result)
            {
                case LeaseAttemptResult.Held:
                    // If the timer fired meanwhile, the loss stands: a cancelled leadership is never resumed.
                    deadline.Change(Later(settings.RenewDeadline - timeProvider.GetElapsedTime(attemptStarted)), Timeout.InfiniteTimeSpan);
                    renewedAt = attemptStarted;
                    break;
                case LeaseAttemptResult.HeldByOther:
                    lose($"the Lease is held by {attempt.Holder}");
                    return;
                default:
                    LogRenewFailed(logger, attempt.Error, lease.Identity, lease.Lease,
                        timeProvider.GetElapsedTime(renewedAt), settings.RenewDeadline);
                    break;
            }
        }
    }

    private async Task<LeaseAttempt> AttemptAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(AttemptTimeout, timeProvider);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        return await lease.TryAcquireOrRenewAsync(bounded.Token).ConfigureAwait(false);
    }

    private static async Task RunWorkAsync(Func<CancellationToken, Task> work, CancellationTokenSource acting)
    {
        try
        {
            await work(acting.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (acting.IsCancellationRequested)
        {
        }
        finally
        {
            // Work that ends by itself (a failed stage) ends the leadership too, and the renewals with it.
            await acting.CancelAsync().ConfigureAwait(false);
        }
    }

    private static async Task<ExceptionDispatchInfo?> StoppedAsync(Task working)
    {
        try
        {
            await working.ConfigureAwait(false);
            return null;
        }
        catch (Exception exception)
        {
            return ExceptionDispatchInfo.Capture(exception);
        }
    }

    /// <summary>
    /// Clears the holder so that a standby takes over at its next attempt. Bounded by the renew
    /// deadline: the process is stopping, and an unreachable API must not hold it up for long.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(settings.RenewDeadline, timeProvider);
        try
        {
            if (await lease.ReleaseAsync(timeout.Token).ConfigureAwait(false))
            {
                LogReleased(logger, lease.Identity, lease.Lease);
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogReleaseFailed(logger, exception, lease.Identity, lease.Lease);
        }
    }

    // One RetryPeriod alone was too short on a loaded machine: with RetryPeriod 500 ms, renewals
    // through a slow API server kept being abandoned and the leader lost the Lease (one full run).
    private TimeSpan AttemptTimeout => settings.RenewDeadline / 4 > settings.RetryPeriod ? settings.RenewDeadline / 4 : settings.RetryPeriod;

    private static TimeSpan Later(TimeSpan delay) => delay > TimeSpan.Zero ? delay : TimeSpan.Zero;

    [LoggerMessage(EventId = EventIds.LeadershipAcquired, EventName = nameof(EventIds.LeadershipAcquired), Level = LogLevel.Information,
        Message = "{Identity} now leads through Lease {Lease}")]
    private static partial void LogAcquired(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = EventIds.LeadershipCampaignFailed, EventName = nameof(EventIds.LeadershipCampaignFailed), Level = LogLevel.Warning,
        Message = "{Identity} could not ask for Lease {Lease}; trying again every retry period")]
    private static partial void LogCampaignFailed(ILogger logger, Exception? exception, string identity, string lease);

    [LoggerMessage(EventId = EventIds.LeaseRenewFailed, EventName = nameof(EventIds.LeaseRenewFailed), Level = LogLevel.Warning,
        Message = "{Identity} could not renew Lease {Lease}, {SinceRenewed} after the last renewal; it stops acting at {RenewDeadline} and tries again until then")]
    private static partial void LogRenewFailed(ILogger logger, Exception? exception, string identity, string lease, TimeSpan sinceRenewed, TimeSpan renewDeadline);

    [LoggerMessage(EventId = EventIds.LeadershipLost, EventName = nameof(EventIds.LeadershipLost), Level = LogLevel.Error,
        Message = "{Identity} lost Lease {Lease}: {Reason}; it stopped acting so that a new leader alone acts")]
    private static partial void LogLost(ILogger logger, string identity, string lease, string reason);

    [LoggerMessage(EventId = EventIds.LeaseReleased, EventName = nameof(EventIds.LeaseReleased), Level = LogLevel.Information,
        Message = "{Identity} stopped acting and released Lease {Lease}")]
    private static partial void LogReleased(ILogger logger, string identity, string lease);

    [LoggerMessage(EventId = EventIds.LeaseReleaseFailed, EventName = nameof(EventIds.LeaseReleaseFailed), Level = LogLevel.Warning,
        Message = "{Identity} stopped acting but could not release Lease {Lease}; a standby takes over once it expires")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string identity, string lease);
}
