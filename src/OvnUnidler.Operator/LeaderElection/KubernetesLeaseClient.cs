using k8s;
using k8s.Autorest;
using k8s.Models;

namespace OvnUnidler.Operator.LeaderElection;

/// <summary>
/// A coordination.k8s.io/v1 Lease, read and written with optimistic concurrency (every write
/// carries the resourceVersion it read, so of two candidates writing at once one gets 409). A Lease
/// held by another candidate counts as expired once it has not changed for its
/// leaseDurationSeconds, measured on this process' clock from when this candidate first saw that
/// version: clocks of different nodes are never compared, as in client-go.
/// </summary>
public sealed class KubernetesLeaseClient(
    IKubernetes client, string leaseNamespace, string leaseName, string identity, TimeSpan leaseDuration, TimeProvider timeProvider) : ILeaseClient
{
    private readonly Lock gate = new();
    private string? observedVersion;
    private long observedAt;

    public string Identity => identity;

    public string Lease => $"{leaseNamespace}/{leaseName}";

    /// <summary>Whole seconds, as the Lease stores them, rounded up so that a standby never waits less than configured.</summary>
    private int LeaseDurationSeconds => (int)Math.Ceiling(leaseDuration.TotalSeconds);

    public async Task<LeaseAttempt> TryAcquireOrRenewAsync(CancellationToken cancellationToken)
    {
        try
        {
            var lease = await ReadAsync(cancellationToken).ConfigureAwait(false);
            var now = timeProvider.GetUtcNow().UtcDateTime;
            if (lease is null)
            {
                await client.CoordinationV1.CreateNamespacedLeaseAsync(
                    new V1Lease { Metadata = new V1ObjectMeta { Name = leaseName, NamespaceProperty = leaseNamespace }, Spec = Held(now, now, 0) },
                    leaseNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
                return LeaseAttempt.Held(identity);
            }

            var spec = lease.Spec ?? new V1LeaseSpec();
            var mine = string.Equals(spec.HolderIdentity, identity, StringComparison.Ordinal);
            if (!string.IsNullOrEmpty(spec.HolderIdentity) && !mine && !Expired(lease))
            {
                return LeaseAttempt.HeldBy(spec.HolderIdentity);
            }

            lease.Spec = mine
                ? Held(spec.AcquireTime ?? now, now, spec.LeaseTransitions ?? 0)
                : Held(now, now, (spec.LeaseTransitions ?? 0) + 1);
            await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, leaseNamespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
            return LeaseAttempt.Held(identity);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return LeaseAttempt.Failed(exception);
        }
    }

    public async Task<bool> ReleaseAsync(CancellationToken cancellationToken)
    {
        var lease = await ReadAsync(cancellationToken).ConfigureAwait(false);
        if (lease?.Spec is not { } spec || !string.Equals(spec.HolderIdentity, identity, StringComparison.Ordinal))
        {
            return false;
        }

        // As client-go's ReleaseOnCancel: no holder and a one-second duration, transitions kept.
        var now = timeProvider.GetUtcNow().UtcDateTime;
        lease.Spec = new V1LeaseSpec { LeaseDurationSeconds = 1, AcquireTime = now, RenewTime = now, LeaseTransitions = spec.LeaseTransitions };
        await client.CoordinationV1.ReplaceNamespacedLeaseAsync(lease, leaseName, leaseNamespace, cancellationToken: cancellationToken)
            .ConfigureAwait(false);
        return true;
    }

    private async Task<V1Lease?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoordinationV1.ReadNamespacedLeaseAsync(leaseName, leaseNamespace, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private bool Expired(V1Lease lease)
    {
        var duration = TimeSpan.FromSeconds(Math.Max(lease.Spec?.LeaseDurationSeconds ?? LeaseDurationSeconds, 1));
        lock (gate)
        {
            if (!string.Equals(observedVersion, lease.Metadata.ResourceVersion, StringComparison.Ordinal))
            {
                observedVersion = lease.Metadata.ResourceVersion;
                observedAt = timeProvider.GetTimestamp();
                return false;
            }

            return timeProvider.GetElapsedTime(observedAt) >= duration;
        }
    }

    private V1LeaseSpec Held(DateTime acquired, DateTime renewed, int transitions) => new()
    {
        HolderIdentity = identity,
        LeaseDurationSeconds = LeaseDurationSeconds,
        AcquireTime = acquired,
        RenewTime = renewed,
        LeaseTransitions = transitions,
    };
}
