using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Operator.Model;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Operator.Backends;

/// <summary>
/// Replaces VIP backends in one mutate. RFC 7047 section 5.1: a map "insert" mutation skips keys
/// that already exist, so each key is deleted first and inserted with its new value in the same
/// operation.
/// </summary>
public sealed class NorthboundBackendWriter([FromKeyedServices(DatabaseKeys.Northbound)] OvsdbClient northbound) : INorthboundBackendWriter
{
    public Task SetBackendsAsync(Guid loadBalancer, IReadOnlyDictionary<string, string> vips, CancellationToken cancellationToken) =>
        northbound.TransactAsync(
            OvnTables.Northbound,
            [
                OvsdbOperation.Mutate(OvnTables.LoadBalancer, [OvsdbCondition.Uuid(loadBalancer)],
                [
                    new OvsdbMutation("vips", "delete", OvsdbWire.Set(vips.Keys.Select(vip => (JsonNode?)JsonValue.Create(vip)))),
                    new OvsdbMutation("vips", "insert", OvsdbWire.Map(vips)),
                ]),
            ],
            cancellationToken);
}
