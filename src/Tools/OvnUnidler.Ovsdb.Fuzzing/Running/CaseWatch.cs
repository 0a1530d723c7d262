using System.Diagnostics;
using System.Globalization;
using OvnUnidler.Ovsdb.Fuzzing.Decoding;

namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>
/// Looks at one running case now and then and judges it by <see cref="CaseLimits"/>: the process's
/// CPU time since the case began, and since its progress last moved.
/// </summary>
internal sealed class CaseWatch(CaseLimits limits, CaseProgress progress)
{
    private readonly long startedAt = Stopwatch.GetTimestamp();
    private readonly TimeSpan cpuAtStart = CpuTime.OfProcess();
    private (long Bytes, long Messages) lastProgress;
    private TimeSpan cpuAtLastProgress;

    /// <summary>A hang or stall, or null while the case is within its limits.</summary>
    public CaseOutcome? Judge()
    {
        var cpu = CpuTime.OfProcess() - cpuAtStart;
        var now = (progress.Bytes, progress.Messages);
        if (now != lastProgress)
        {
            lastProgress = now;
            cpuAtLastProgress = cpu;
        }

        var wall = Stopwatch.GetElapsedTime(startedAt);
        var seen = string.Create(CultureInfo.InvariantCulture, $"{cpu.TotalSeconds:0.00} s of CPU in {wall.TotalSeconds:0.0} s; {progress}");
        if (cpu > limits.Cpu)
        {
            return new CaseOutcome(OutcomeClass.Hang, "hang: over the CPU limit",
                Detail: string.Create(CultureInfo.InvariantCulture, $"over the CPU limit of {limits.Cpu.TotalSeconds} s: {seen}"));
        }

        if (cpu - cpuAtLastProgress > limits.CpuWithoutProgress)
        {
            return new CaseOutcome(OutcomeClass.Hang, "hang: no progress",
                Detail: string.Create(CultureInfo.InvariantCulture,
                    $"{(cpu - cpuAtLastProgress).TotalSeconds:0.00} s of CPU without progress (limit {limits.CpuWithoutProgress.TotalSeconds} s): {seen}"));
        }

        return wall > limits.WallClockBackstop
            ? new CaseOutcome(OutcomeClass.Stalled, "stall: wall-clock backstop",
                Detail: string.Create(CultureInfo.InvariantCulture, $"no verdict by CPU time after {limits.WallClockBackstop.TotalSeconds} s of wall-clock time: {seen}"))
            : null;
    }
}
