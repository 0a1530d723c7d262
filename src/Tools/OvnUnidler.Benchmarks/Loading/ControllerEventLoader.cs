using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Benchmarks.Loading;

/// <summary>
/// Fills a real Southbound with Controller_Event rows as ovn-controller writes them for
/// empty_lb_backends (event_info vip, protocol, load_balancer; seq_num), through the client's
/// transact in batches. Chassis is left empty (a weak reference, optional). Every row gets its own
/// VIP and load balancer uuid, so no two rows share a string.
/// </summary>
public static class ControllerEventLoader
{
    public const int BatchSize = 10_000;

    public static async Task LoadAsync(OvsdbClient client, int rows, CancellationToken cancellationToken)
    {
        for (var first = 0; first < rows; first += BatchSize)
        {
            var batch = Enumerable.Range(first, Math.Min(BatchSize, rows - first)).Select(Insert).ToList();
            await client.TransactAsync(OvnTables.Southbound, batch, cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Vip(int index) => string.Create(CultureInfo.InvariantCulture,
        $"10.{(index >> 16) & 0xff}.{(index >> 8) & 0xff}.{index & 0xff}:{8000 + (index % 1000)}");

    private static OvsdbOperation Insert(int index) => OvsdbOperation.Insert(OvnTables.ControllerEvent, new JsonObject
    {
        ["event_type"] = ControllerEventRow.EmptyLbBackends,
        ["event_info"] = OvsdbWire.Map(
        [
            new("vip", Vip(index)),
            new("protocol", (index % 3) switch { 0 => "tcp", 1 => "udp", _ => "sctp" }),
            new("load_balancer", Guid.NewGuid().ToString()),
        ]),
        ["seq_num"] = index + 1,
    });
}
