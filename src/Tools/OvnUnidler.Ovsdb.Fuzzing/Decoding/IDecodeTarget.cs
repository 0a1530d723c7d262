using OvnUnidler.Ovsdb.Fuzzing.Mutation;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// What a case is run against. It returns accepted or rejected; any exception it lets escape is
/// judged by the engine (a documented one is a rejection, anything else a crash). It reports its
/// progress, by which, with the CPU time it uses, the engine judges a hang; the token is cancelled
/// once the engine has given up on the case.
/// </summary>
public interface IDecodeTarget
{
    Task<CaseOutcome> RunAsync(FuzzCase fuzzCase, CaseProgress progress, CancellationToken cancellationToken);
}
