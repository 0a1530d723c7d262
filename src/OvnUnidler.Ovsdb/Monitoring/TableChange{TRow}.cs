namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>One row's change. New is null for deletes and for rows that failed to map (Error set).</summary>
public sealed record TableChange<TRow>(TableChangeKind Kind, Guid Uuid, TRow? Old, TRow? New, OvsdbRowError? Error = null)
    where TRow : class;
