namespace OvnUnidler.Holding;

/// <summary>One port of a held Service: its name in the Service spec ("" when unnamed) and its transport.</summary>
public sealed record HeldPort(string Name, HeldProtocol Protocol);
