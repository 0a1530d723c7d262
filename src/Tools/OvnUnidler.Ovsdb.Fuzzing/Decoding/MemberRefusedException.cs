namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// What the client's _Server handler throws (privately) when <see cref="Clustering.ClusterMembership"/>
/// refuses the member: the client then moves on to the next remote.
/// </summary>
public sealed class MemberRefusedException(string message) : Exception(message);
