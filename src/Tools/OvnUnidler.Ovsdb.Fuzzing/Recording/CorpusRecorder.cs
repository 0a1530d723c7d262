using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

/// <summary>
/// Records the seed corpus from real ovsdb-servers (the OVN Southbound and Northbound schemas
/// installed with OVN): each seed is every byte one server sent on one connection while the
/// recorder played one planned conversation (<see cref="CallPlan"/>). Rows change through the same
/// connection's transactions and through ovsdb-client, so the seeds hold monitor replies, update2
/// and update3 inserts, modifies and deletes, error replies, echo and monitor_canceled as the
/// server writes them. It starts and always stops its own servers in a private directory.
/// </summary>
public sealed partial class CorpusRecorder(TextWriter log)
{
    private const int ProbeMilliseconds = 1000;

    /// <summary>Writes NAME.bin for every conversation into <paramref name="directory"/> and returns the seeds.</summary>
    public async Task<IReadOnlyList<Seed>> RecordAsync(string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var seeds = new List<Seed>();
        using var lab = LabDirectory.Create("fuzzrec");
        var probePort = FreeTcpPort.Pick();
        await using (var southbound = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = lab.Path, Name = "sb", ExtraArguments = ["--remote=db:OVN_Southbound,SB_Global,connections"] },
            cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await RecordSouthboundAsync(southbound, probePort, lab, seeds, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await southbound.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        await RecordClusterAsync(lab, seeds, cancellationToken).ConfigureAwait(false);
        await using (var northbound = await OvsdbServer.StartAsync(
            new OvsdbServerOptions { Directory = lab.Path, Name = "nb", SchemaPath = OvnSchemas.Northbound }, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await RecordNorthboundAsync(northbound, seeds, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await northbound.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        foreach (var seed in seeds)
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, seed.Name + ".bin"), seed.Bytes, cancellationToken).ConfigureAwait(false);
            log.WriteLine($"{seed.Name}.bin: {seed.Bytes.Length:N0} bytes");
        }

        return seeds;
    }

    /// <summary>Runs one conversation on a fresh connection and keeps what the server sent.</summary>
    private async Task<T> ConverseAsync<T>(
        string name, string remote, List<Seed> seeds, Func<RawSession, Task<T>> conversation, CancellationToken cancellationToken)
    {
        log.WriteLine($"recording {name}");
        await using var session = await RawSession.ConnectAsync(remote, cancellationToken).ConfigureAwait(false);
        var result = await conversation(session).ConfigureAwait(false);
        seeds.Add(new Seed(name, session.Captured));
        return result;
    }

    private Task ConverseAsync(string name, string remote, List<Seed> seeds, Func<RawSession, Task> conversation, CancellationToken cancellationToken) =>
        ConverseAsync(name, remote, seeds, async session =>
        {
            await conversation(session).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    /// <summary>A transact request's params: the database, then the operations.</summary>
    private static JsonArray Transaction(string database, params string[] operations)
    {
        var parameters = new JsonArray(database);
        foreach (var operation in operations)
        {
            parameters.Add(JsonNode.Parse(operation));
        }

        return parameters;
    }

    /// <summary>The uuids an ovsdb-client transact printed for its inserts, in order.</summary>
    private static List<string> InsertedUuids(string output)
    {
        using var document = JsonDocument.Parse(output);
        return [.. document.RootElement.EnumerateArray()
            .Where(result => result.ValueKind == JsonValueKind.Object && result.TryGetProperty("uuid", out _))
            .Select(result => result.GetProperty("uuid")[1].GetString()!)];
    }

    private static string LastTransactionIdOf(JsonRpcMessage update) =>
        TableUpdatesWalker.ReadString(TableUpdatesWalker.ArrayElements(update.Params, "update3 params")[1], "last-txn-id");
}
