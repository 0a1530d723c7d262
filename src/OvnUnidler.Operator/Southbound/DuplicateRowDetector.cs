namespace OvnUnidler.Operator.Southbound;

/// <summary>
/// Spots rows that repeat an event ovn-controller already wrote: ovn-sb(5) does not promise
/// exactly-once writes. seq_num only means something within one ovn-controller lifetime (it
/// restarts at 1), so a repeated (chassis, seq_num) with a different VIP marks a restart and
/// forgets that chassis' history rather than calling it a duplicate. Detection only counts;
/// coalescing by Service is what makes duplicates harmless.
/// </summary>
public sealed class DuplicateRowDetector(int capacityPerChassis = 4096)
{
    private readonly Dictionary<Guid, Dictionary<long, (Guid Row, string Vip)>> byChassis = [];

    public bool IsDuplicate(ControllerEvent row)
    {
        if (row.Chassis is not { } chassis)
        {
            return false;
        }

        if (!byChassis.TryGetValue(chassis, out var seen))
        {
            seen = [];
            byChassis[chassis] = seen;
        }

        var vip = row.EventInfo.GetValueOrDefault(ControllerEventParser.VipKey, string.Empty);
        if (seen.TryGetValue(row.SeqNum, out var earlier))
        {
            if (earlier.Row == row.RowUuid)
            {
                return false;
            }

            if (string.Equals(earlier.Vip, vip, StringComparison.Ordinal))
            {
                return true;
            }

            seen.Clear();
        }

        if (seen.Count >= capacityPerChassis)
        {
            seen.Clear();
        }

        seen[row.SeqNum] = (row.RowUuid, vip);
        return false;
    }
}
