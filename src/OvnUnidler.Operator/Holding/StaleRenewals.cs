namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Tells when a holder entry's renewal (a slice's annotation, a load balancer's external_ids) has
/// stood still for HoldStaleAfter, judged on this instance's own clock from when it first saw that
/// value: the writer's clock is never compared with the reader's.
/// </summary>
public sealed class StaleRenewals<TKey>
    where TKey : notnull
{
    private readonly Dictionary<TKey, (string Renewal, DateTimeOffset Since)> seen = [];

    /// <summary>How long <paramref name="renewal"/> has stood still, once that is at least <paramref name="staleAfter"/>; else null (a new value starts the clock).</summary>
    public TimeSpan? StoodStill(TKey key, string renewal, DateTimeOffset now, TimeSpan staleAfter)
    {
        if (seen.TryGetValue(key, out var last) && string.Equals(last.Renewal, renewal, StringComparison.Ordinal))
        {
            return now - last.Since >= staleAfter ? now - last.Since : null;
        }

        seen[key] = (renewal, now);
        return null;
    }

    public void Forget(TKey key) => seen.Remove(key);

    /// <summary>Forgets every entry not in <paramref name="present"/> (gone since the last look).</summary>
    public void KeepOnly(IReadOnlySet<TKey> present)
    {
        foreach (var gone in seen.Keys.Where(key => !present.Contains(key)).ToArray())
        {
            seen.Remove(gone);
        }
    }
}
