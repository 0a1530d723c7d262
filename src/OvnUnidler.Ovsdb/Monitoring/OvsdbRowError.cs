namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>A row the typed mapping could not read; it is still a row of the table, reported with this error.</summary>
public sealed record OvsdbRowError(string Table, Guid Uuid, string Message);
