namespace OvnUnidler.Operator.Southbound;

/// <summary>
/// Spots rows that repeat an event ovn-controller already wrote: ovn-sb(5) does not promise
/// exactly-once writes. seq_num only means something within one ovn-controller lifetime (it
/// restarts at 1), so a repeated (chassis, seq_num) with a different VIP marks a restart and
/// forgets that chassis' history rather than calling it a duplicate. Detection only counts;
/// coalescing by Service is what makes duplicates harmless.
/// Bounded: at most <paramref name="capacityPerChassis"/> seq_nums per chassis and
/// <paramref name="maxChassis"/> chassis. A chassis that is gone writes no more rows, so it becomes
/// the least recently seen and is the first forgotten when a new chassis needs room.
/// </summary>
public sealed class DuplicateRowDetector(int capacityPerChassis = 4096, int maxChassis = 1024)
{
    private readonly Dictionary<Guid, Seen> byChassis = [];
    private long clock;

    public int ChassisCount => byChassis.Count;

    public int RememberedRows => byChassis.Values.Sum(seen => seen.Rows.Count);

    public bool IsDuplicate(ControllerEvent row)
    {
        if (row.Chassis is not { } chassis)
        {
            return false;
        }

        if (!byChassis.TryGetValue(chassis, out var seen))
        {
            if (byChassis.Count >= maxChassis)
            {
                ForgetLeastRecentlySeen();
            }

            seen = new Seen();
            byChassis[chassis] = seen;
        }

        seen.LastSeen = ++clock;
        var vip = row.EventInfo.GetValueOrDefault(ControllerEventParser.VipKey, string.Empty);
        if (seen.Rows.TryGetValue(row.SeqNum, out var earlier))
        {
            if (earlier.Row == row.RowUuid)
            {
                return false;
            }

            if (string.Equals(earlier.Vip, vip, StringComparison.Ordinal))
            {
                return true;
            }

            seen.Rows.Clear();
        }

        if (seen.Rows.Count >= capacityPerChassis)
        {
            seen.Rows.Clear();
        }

        seen.Rows[row.SeqNum] = (row.RowUuid, vip);
        return false;
    }

    private void ForgetLeastRecentlySeen()
    {
        var oldest = byChassis.MinBy(pair => pair.Value.LastSeen).Key;
        byChassis.Remove(oldest);
    }

    private sealed class Seen
    {
        public Dictionary<long, (Guid Row, string Vip)> Rows { get; } = [];

        public long LastSeen { get; set; }
    }
}
