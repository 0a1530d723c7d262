namespace OvnUnidler.Benchmarks.Measuring;

/// <summary>
/// Samples the managed heap (GC.GetTotalMemory without collecting, so garbage not yet collected
/// counts too) on its own thread every millisecond and keeps the peak: a conservative peak,
/// higher than the live data at any instant.
/// </summary>
public sealed class ManagedMemorySampler : IDisposable
{
    private readonly Thread thread;
    private volatile bool stopping;
    private long peak;

    private ManagedMemorySampler()
    {
        peak = GC.GetTotalMemory(forceFullCollection: false);
        thread = new Thread(Sample) { IsBackground = true, Name = "memory sampler", Priority = ThreadPriority.AboveNormal };
        thread.Start();
    }

    public static ManagedMemorySampler Start() => new();

    /// <summary>Stops sampling and returns the highest heap size seen, in bytes.</summary>
    public long Stop()
    {
        stopping = true;
        thread.Join();
        Observe();
        return Interlocked.Read(ref peak);
    }

    public void Dispose()
    {
        if (!stopping)
        {
            Stop();
        }
    }

    private void Sample()
    {
        while (!stopping)
        {
            Observe();
            Thread.Sleep(1);
        }
    }

    private void Observe()
    {
        var now = GC.GetTotalMemory(forceFullCollection: false);
        if (now > Interlocked.Read(ref peak))
        {
            Interlocked.Exchange(ref peak, now);
        }
    }
}
