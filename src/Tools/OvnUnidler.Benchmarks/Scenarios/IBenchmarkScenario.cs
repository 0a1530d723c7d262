using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;

namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>
/// One benchmark: it starts what it measures (real servers from the lab), measures, stops everything
/// it started, and returns its figures as rows. Register new scenarios in <see cref="ScenarioCatalog"/>.
/// </summary>
public interface IBenchmarkScenario
{
    /// <summary>The name given on the command line and used for artifacts/benchmarks/NAME.json.</summary>
    string Name { get; }

    string Description { get; }

    Task<IReadOnlyList<BenchmarkResult>> RunAsync(BenchmarkContext context, CancellationToken cancellationToken);
}
