namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>A scenario whose artifact has a format of its own, written by the scenario instead of the common result file.</summary>
public interface IArtifactScenario : IBenchmarkScenario
{
    /// <summary>Writes artifacts/benchmarks/NAME.json from the last run; returns its path.</summary>
    Task<string> WriteArtifactAsync(string repositoryRoot, CancellationToken cancellationToken);
}
