using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Operator.Acknowledgement;

/// <summary>
/// Deletes rows by _uuid, all in one transaction. A delete whose row is already gone matches
/// nothing and is not an error, so a retry after an unknown outcome is safe.
/// </summary>
public sealed class SouthboundRowStore([FromKeyedServices(DatabaseKeys.Southbound)] OvsdbClient southbound) : ISouthboundRowStore
{
    public Task DeleteAsync(IReadOnlyCollection<Guid> rows, CancellationToken cancellationToken) =>
        southbound.TransactAsync(
            OvnTables.Southbound,
            [.. rows.Select(row => OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(row)))],
            cancellationToken);
}
