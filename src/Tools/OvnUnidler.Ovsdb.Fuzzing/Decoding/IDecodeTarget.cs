using OvnUnidler.Ovsdb.Fuzzing.Mutation;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// What a case is run against. It returns accepted or rejected; any exception it lets escape is
/// judged by the engine (a documented one is a rejection, anything else a crash), and one that does
/// not return within the time bound is a hang. The token is cancelled at the time bound.
/// </summary>
public interface IDecodeTarget
{
    Task<CaseOutcome> RunAsync(FuzzCase fuzzCase, CancellationToken cancellationToken);
}
