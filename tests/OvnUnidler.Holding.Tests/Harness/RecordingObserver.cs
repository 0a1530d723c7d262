using System.Collections.Concurrent;
using OvnUnidler.Holding.Observability;

namespace OvnUnidler.Holding.Tests.Harness;

/// <summary>Counts what the holder reports, for tests to wait on and assert.</summary>
public sealed class RecordingObserver : IHoldingObserver
{
    private readonly ConcurrentDictionary<string, long> counts = new();

    public long Held => Get("held");

    public long Relayed => Get("relayed");

    public long Kept => Get("kept");

    public long Resets(ResetReason reason) => Get($"reset:{reason}");

    public long Drops(DropReason reason) => Get($"drop:{reason}");

    public long AllResets => counts.Where(pair => pair.Key.StartsWith("reset:", StringComparison.Ordinal)).Sum(pair => pair.Value);

    public long AllDrops => counts.Where(pair => pair.Key.StartsWith("drop:", StringComparison.Ordinal)).Sum(pair => pair.Value);

    public long Bytes(RelayDirection direction) => Get($"bytes:{direction}");

    public TimeSpan LongestHold { get; private set; }

    public void ConnectionHeld(string service, HeldPort port) => Add("held", 1);

    public void ConnectionRelayed(string service, HeldPort port, TimeSpan heldFor)
    {
        if (heldFor > LongestHold)
        {
            LongestHold = heldFor;
        }

        Add("relayed", 1);
    }

    public void ConnectionReset(string service, HeldPort port, ResetReason reason) => Add($"reset:{reason}", 1);

    public void DatagramKept(string service, HeldPort port) => Add("kept", 1);

    public void DatagramDropped(string service, HeldPort port, DropReason reason) => Add($"drop:{reason}", 1);

    public void BytesRelayed(string service, HeldPort port, RelayDirection direction, long bytes) => Add($"bytes:{direction}", bytes);

    public override string ToString() => string.Join(", ", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key}={pair.Value}"));

    private long Get(string key) => counts.TryGetValue(key, out var value) ? value : 0;

    private void Add(string key, long value) => counts.AddOrUpdate(key, value, (_, current) => current + value);
}
