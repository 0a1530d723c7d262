using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Operator.Model;
using OvnUnidler.Ovsdb;
using OvnUnidler.Ovsdb.Ovn;
using OvnUnidler.Ovsdb.Transactions;

namespace OvnUnidler.Operator.Acknowledgement;

/// <summary>
/// Deletes rows by _uuid, all in one transaction, on its own Southbound connection (started on
/// first use). A delete whose row is already gone matches nothing and is not an error, so a retry
/// after an unknown outcome is safe.
/// </summary>
public sealed class SouthboundRowStore([FromKeyedServices(DatabaseKeys.SouthboundWrites)] OvsdbClient southbound) : ISouthboundRowStore
{
    public async Task DeleteAsync(IReadOnlyCollection<Guid> rows, CancellationToken cancellationToken)
    {
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        await southbound.TransactAsync(
            OvnTables.Southbound,
            [.. rows.Select(row => OvsdbOperation.Delete(OvnTables.ControllerEvent, OvsdbCondition.Uuid(row)))],
            cancellationToken).ConfigureAwait(false);
    }
}
