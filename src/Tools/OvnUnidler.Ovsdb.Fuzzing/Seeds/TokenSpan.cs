namespace OvnUnidler.Ovsdb.Fuzzing.Seeds;

/// <summary>
/// Where one JSON value (a scalar, or a whole object or array) or member name lies in a seed, and
/// how deep: depth 0 is a whole JSON-RPC message.
/// </summary>
public readonly record struct TokenSpan(int Start, int Length, bool IsName, int Depth)
{
    public int End => Start + Length;
}
