namespace OvnUnidler.Operator.Resilience;

/// <summary>Capped exponential backoff with jitter, so replicas retrying together spread out.</summary>
public sealed class Backoff
{
    private readonly TimeSpan initial;
    private readonly TimeSpan max;
    private TimeSpan current;

    public Backoff(TimeSpan initial, TimeSpan max)
    {
        this.initial = initial;
        this.max = max;
        current = initial;
    }

    public TimeSpan Next()
    {
        var ceiling = current;
        current = TimeSpan.FromTicks(Math.Min(max.Ticks, current.Ticks * 2));
        return TimeSpan.FromTicks((long)(ceiling.Ticks * (0.5 + (Random.Shared.NextDouble() / 2))));
    }

    public void Reset() => current = initial;
}
