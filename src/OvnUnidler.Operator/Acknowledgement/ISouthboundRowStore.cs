namespace OvnUnidler.Operator.Acknowledgement;

/// <summary>Deletes Controller_Event rows by _uuid; deleting a row that is already gone is not an error.</summary>
public interface ISouthboundRowStore
{
    Task DeleteAsync(IReadOnlyCollection<Guid> rows, CancellationToken cancellationToken);
}
