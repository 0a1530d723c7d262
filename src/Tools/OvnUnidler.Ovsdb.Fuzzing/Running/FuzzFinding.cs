using OvnUnidler.Ovsdb.Fuzzing.Decoding;

namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>A crash or hang, with what reproduces it: <c>fuzz --seed Seed --case Case</c>.</summary>
/// <param name="Signature">Exception type and the frame that threw, to group findings of one bug.</param>
/// <param name="SavedTo">The .bin file holding the case's bytes, when it was saved.</param>
public sealed record FuzzFinding(OutcomeClass Class, long Seed, long Case, string Description, string Signature, string? SavedTo);
