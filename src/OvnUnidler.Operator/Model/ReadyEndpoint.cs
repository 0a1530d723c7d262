namespace OvnUnidler.Operator.Model;

/// <summary>A ready endpoint address with its ports by port name ("" for an unnamed port).</summary>
public sealed record ReadyEndpoint(string Address, IReadOnlyDictionary<string, int> Ports);
