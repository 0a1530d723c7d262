namespace OvnUnidler.Ovsdb.Fuzzing.Seeds;

/// <summary>The bytes one real ovsdb-server sent on one connection, named for the conversation.</summary>
public sealed record Seed(string Name, byte[] Bytes);
