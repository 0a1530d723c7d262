namespace OvnUnidler.Holding.Listening;

/// <summary>A count of connections (and UDP flows) that never exceeds its limit, safe from any thread.</summary>
internal sealed class ConnectionBudget(int limit)
{
    private int count;

    public int Count => Volatile.Read(ref count);

    public bool TryTake()
    {
        while (true)
        {
            var current = Volatile.Read(ref count);
            if (current >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref count, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void Return() => Interlocked.Decrement(ref count);
}
