using Microsoft.Extensions.Logging;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding.Listening;

/// <summary>What every port of one held Service shares: its name, bounds, clock, log and observer.</summary>
internal sealed class HoldContext(
    string service,
    HoldingOptions options,
    ConnectionBudget total,
    TimeProvider time,
    ILogger logger,
    IHoldingObserver observer,
    CancellationToken shutdown)
{
    private readonly ConnectionBudget perService = new(options.MaxConnectionsPerService);
    private readonly Lock keptGate = new();
    private int keptDatagrams;
    private long keptBytes;

    public string Service => service;

    public HoldingOptions Options => options;

    public TimeProvider Time => time;

    public ILogger Logger => logger;

    public IHoldingObserver Observer => observer;

    /// <summary>What this hold took in and what became of it, for its summary.</summary>
    public HoldCounter Counter { get; } = new();

    /// <summary>Cancelled when the holder is disposed: every relay and flow stops.</summary>
    public CancellationToken Shutdown => shutdown;

    public int Connections => perService.Count;

    /// <summary>Counts one more connection or flow against the Service's and the process's bounds; false names the bound hit.</summary>
    public bool TryAdmit(out bool serviceLimit)
    {
        serviceLimit = !perService.TryTake();
        if (serviceLimit)
        {
            return false;
        }

        if (total.TryTake())
        {
            return true;
        }

        perService.Return();
        return false;
    }

    public void Release()
    {
        perService.Return();
        total.Return();
    }

    /// <summary>Counts a UDP datagram to keep against the Service's bounds (across its UDP ports).</summary>
    public DropReason? TryKeep(int bytes)
    {
        lock (keptGate)
        {
            if (keptDatagrams >= options.MaxDatagramsPerService)
            {
                return DropReason.ServiceDatagramLimit;
            }

            if (keptBytes + bytes > options.MaxBufferedBytesPerService)
            {
                return DropReason.ServiceByteLimit;
            }

            keptDatagrams++;
            keptBytes += bytes;
            return null;
        }
    }

    public void Unkeep(int bytes)
    {
        lock (keptGate)
        {
            keptDatagrams--;
            keptBytes -= bytes;
        }
    }
}
