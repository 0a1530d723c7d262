namespace OvnUnidler.Operator.Backends;

/// <summary>What happened to the Service while its rows were held.</summary>
public enum ServiceChange
{
    None,

    /// <summary>Changed by someone else (e.g. idled again): its rows are mapped again.</summary>
    Changed,

    /// <summary>Deleted: its rows are acknowledged as unknown.</summary>
    Gone,
}
