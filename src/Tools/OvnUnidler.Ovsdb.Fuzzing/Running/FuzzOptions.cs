namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>A fuzzing run: which cases, how long one may take, where findings go.</summary>
public sealed class FuzzOptions
{
    public long Seed { get; init; } = 1;

    public long FirstCase { get; init; }

    public long Cases { get; init; } = 100_000;

    /// <summary>When a case is a hang or stalled.</summary>
    public CaseLimits Limits { get; init; } = new();

    /// <summary>Where the bytes and description of each crash and hang are written; null writes nothing.</summary>
    public string? OutputDirectory { get; init; }

    /// <summary>Findings with the same signature (exception type and throwing frame) saved beyond this are only counted.</summary>
    public int SavedPerSignature { get; init; } = 3;

    /// <summary>A hung or stalled case keeps its thread; the run stops after this many rather than pile them up.</summary>
    public int MaxHangs { get; init; } = 5;

    /// <summary>How often progress is written to the log, if there is one.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);
}
