namespace OvnUnidler.Ovsdb.Tests.Fuzzing;

/// <summary>
/// Tests whose verdicts rest on the process's CPU time with tight limits: they run alone, after the
/// others, so that no other test's CPU time counts as theirs.
/// </summary>
[CollectionDefinition(nameof(CpuMeasuredCollection), DisableParallelization = true)]
public sealed class CpuMeasuredCollection;
