namespace OvnUnidler.Ovsdb.Clustering;

/// <summary>
/// Decides whether a server may serve the client, from its _Server Database rows, as OVS's own IDL
/// does (ovsdb(7), "Clustered Database Service Model"; ovsdb-server(5)): a clustered member that is
/// not connected to the cluster may serve stale data, a member whose log index is behind one this
/// client has already seen would move it back in time, and with LeaderOnly followers are skipped.
/// </summary>
public sealed class ClusterMembership(bool leaderOnly)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, long> highestIndex = new(StringComparer.Ordinal);

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
            }
        }

        return null;
    }
}
