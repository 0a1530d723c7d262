namespace OvnUnidler.Benchmarks.Scenarios;

/// <summary>Every scenario the command line knows; `all` runs them in this order.</summary>
public static class ScenarioCatalog
{
    public static IReadOnlyList<IBenchmarkScenario> All { get; } =
    [
        new OvsdbMonitorScenario(),
        new BacklogScenario(),
        new WakeLatencyScenario(),
        new ManyServicesScenario(),
        new BurstScenario(),
        new IndexSizeScenario(),
        new DecoderFuzzScenario(),
        new FirstByteScenario(),
        new HandoverScenario(),
        new HolderThroughputScenario(),
    ];

    public static IBenchmarkScenario? Find(string name) =>
        All.FirstOrDefault(scenario => string.Equals(scenario.Name, name, StringComparison.OrdinalIgnoreCase));
}
