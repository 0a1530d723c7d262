namespace OvnUnidler.Ovsdb.Clustering;

/// <summary>
/// Decides whether a server may serve the client, from its _Server Database rows, as OVS's own IDL
/// does (ovsdb(7), "Clustered Database Service Model"; ovsdb-server(5)): a clustered member that is
/// not connected to the cluster may serve stale data, a member whose log index is behind one this
/// client has already seen would move it back in time, and with LeaderOnly followers are skipped.
/// The index remembered is forgotten when the cluster id changes (a cluster created anew, as a
/// restore from backup does) or on <see cref="Reset"/> (what ovsdb-client's and ovn-controller's
/// cluster-state-reset do), never because time passed: an old member stays refused until then.
/// </summary>
public sealed class ClusterMembership(bool leaderOnly)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> highestIndex = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Guid> clusterIds = new(StringComparer.Ordinal);

    /// <summary>Forgets every index and cluster id seen, so that the next member is judged afresh.</summary>
    public void Reset()
    {
        lock (gate)
        {
            highestIndex.Clear();
            clusterIds.Clear();
        }
    }

    /// <summary>Why this server cannot be used for <paramref name="databases"/>, or null when it can.</summary>
    public string? Refusal(IEnumerable<ServerDatabaseRow> rows, IEnumerable<string> databases)
    {
        var byName = rows.GroupBy(row => row.Name, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        lock (gate)
        {
            foreach (var database in databases)
            {
                // A database the server does not hold is left to the server to refuse ("unknown database").
                if (!byName.TryGetValue(database, out var row) || !row.IsClustered)
                {
                    continue;
                }

                if (!row.Connected)
                {
                    return $"this member is not connected to the {database} cluster";
                }

                if (leaderOnly && !row.Leader)
                {
                    return $"this member is not the {database} leader";
                }

                if (row.Cid is { } cid && clusterIds.TryGetValue(database, out var knownCid) && cid != knownCid)
                {
                    // Another cluster under the same name: its indexes do not compare with the old one's.
                    highestIndex.Remove(database);
                }

                if (row.Index is { } index && highestIndex.TryGetValue(database, out var seen) && index < seen)
                {
                    return $"this member's {database} log index {index} is behind index {seen} already seen";
                }
            }

            // Only a member that is used raises the bar for the next one.
            foreach (var database in databases)
            {
                if (byName.TryGetValue(database, out var row) && row.Index is { } index)
                {
                    highestIndex[database] = Math.Max(index, highestIndex.GetValueOrDefault(database));
                }

                if (byName.TryGetValue(database, out var used) && used.Cid is { } usedCid)
                {
                    clusterIds[database] = usedCid;
                }
            }
        }

        return null;
    }
}
