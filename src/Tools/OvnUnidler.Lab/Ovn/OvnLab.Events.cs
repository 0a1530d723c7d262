using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Ovn;

public sealed partial class OvnLab
{
    private static readonly TimeSpan EventPollInterval = TimeSpan.FromMilliseconds(20);

    private const string SelectEvents =
        """["OVN_Southbound",{"op":"select","table":"Controller_Event","where":[],"columns":["_uuid","chassis","event_info","event_type","seq_num"]}]""";

    /// <summary>Every Controller_Event row now in the Southbound, read with one ovsdb-client select.</summary>
    public async Task<IReadOnlyList<LabControllerEvent>> GetControllerEventsAsync(CancellationToken cancellationToken = default)
    {
        var output = await Southbound.TransactAsync(SelectEvents, cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"select Controller_Event failed: {result.GetRawText()} ({error})");
        }

        return result.GetProperty("rows").EnumerateArray().Select(LabControllerEvent.FromRow).ToArray();
    }

    public Task<IReadOnlyList<LabControllerEvent>> WaitForControllerEventsAsync(int count, TimeSpan timeout, CancellationToken cancellationToken) =>
        WaitForControllerEventsAsync(count, timeout, null, cancellationToken);

    /// <summary>
    /// Polls until at least <paramref name="count"/> rows match <paramref name="where"/> (all
    /// rows when null) and returns the matching rows. A Southbound that is briefly unreachable
    /// (restarting) is polled again; throws <see cref="TimeoutException"/> with the rows seen.
    /// </summary>
    public async Task<IReadOnlyList<LabControllerEvent>> WaitForControllerEventsAsync(
        int count, TimeSpan timeout, Func<LabControllerEvent, bool>? where = null, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        IReadOnlyList<LabControllerEvent> seen = [];
        Exception? lastFailure = null;
        while (true)
        {
            try
            {
                seen = (await GetControllerEventsAsync(cancellationToken).ConfigureAwait(false)).Where(where ?? (_ => true)).ToArray();
                lastFailure = null;
                if (seen.Count >= count)
                {
                    return seen;
                }
            }
            catch (LabCommandException exception)
            {
                lastFailure = exception;
            }

            if (clock.Elapsed >= timeout)
            {
                throw new TimeoutException(
                    $"{seen.Count} of {count} Controller_Event rows after {timeout}: [{string.Join(", ", seen)}]", lastFailure);
            }

            await Task.Delay(EventPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes the rows with these _uuids in one transaction, as the CMS acknowledges the events it handled.</summary>
    public Task DeleteControllerEventsAsync(IEnumerable<string> uuids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(uuids);
        var operations = uuids.Select(uuid => DeleteWhere(new JsonArray(new JsonArray("_uuid", "==", new JsonArray("uuid", uuid))))).ToArray();
        return operations.Length == 0 ? Task.CompletedTask : DeleteAsync(operations, cancellationToken);
    }

    public Task DeleteAllControllerEventsAsync(CancellationToken cancellationToken = default) =>
        DeleteAsync([DeleteWhere(new JsonArray())], cancellationToken);

    private async Task DeleteAsync(IEnumerable<JsonObject> operations, CancellationToken cancellationToken)
    {
        var transaction = new JsonArray(OvnSchemas.SouthboundDatabase);
        foreach (var operation in operations)
        {
            transaction.Add(operation);
        }

        var output = await Southbound.TransactAsync(transaction.ToJsonString(), cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(output);
        if (document.RootElement.EnumerateArray().Any(result => result.ValueKind is JsonValueKind.Object && result.TryGetProperty("error", out _)))
        {
            throw new InvalidOperationException($"delete Controller_Event failed: {output}");
        }
    }

    private static JsonObject DeleteWhere(JsonArray where) =>
        new() { ["op"] = "delete", ["table"] = "Controller_Event", ["where"] = where };
}
