namespace OvnUnidler.Operator.Pipeline;

/// <summary>
/// A stage that acts: it runs only while this instance may act (the leader in central mode,
/// always in per-zone mode), unlike the read-only views that run on every replica.
/// </summary>
public interface IPipelineStage
{
    string Name { get; }

    Task RunAsync(CancellationToken cancellationToken);
}
