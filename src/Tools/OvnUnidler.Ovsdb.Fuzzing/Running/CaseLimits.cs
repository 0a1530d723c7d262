namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>
/// When a case is a hang: judged by the CPU time it uses and the progress it makes, never by how
/// long it takes on the wall clock, which on a machine whose cores are shared (CI) says more about
/// the machine than about the decoder. Cases run one at a time, so the process's CPU time during a
/// case is the case's (plus whatever else the process runs meanwhile, which only errs towards a hang).
/// </summary>
public sealed record CaseLimits
{
    /// <summary>
    /// A case that uses more CPU time is a hang. A case is at most about a megabyte; decoded in time
    /// linear in its size it costs milliseconds, so this catches super-linear decoding long before a
    /// run would notice it.
    /// </summary>
    public TimeSpan Cpu { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A case that uses this much CPU time without taking in a byte or handling a message is a hang: a loop.</summary>
    public TimeSpan CpuWithoutProgress { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// A case without a verdict after this much wall-clock time is stalled (<see cref="Decoding.OutcomeClass.Stalled"/>):
    /// a safety net for a case that waits without using CPU (a deadlock), far above what load adds.
    /// </summary>
    public TimeSpan WallClockBackstop { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How often a running case's CPU time and progress are looked at.</summary>
    public TimeSpan Poll { get; init; } = TimeSpan.FromMilliseconds(50);
}
