using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace OvnUnidler.Benchmarks.Reporting;

/// <summary>Writes a scenario's results, with the command and machine they came from, to artifacts/benchmarks/NAME.json.</summary>
public static class ResultWriter
{
    // Relaxed escaping keeps metric names readable ("a/b", "+", ">") in a file people read.
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<string> WriteAsync(
        string repositoryRoot, string scenario, string command, DateTimeOffset started, IReadOnlyList<BenchmarkResult> results, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(repositoryRoot, "artifacts", "benchmarks");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{scenario}.json");
        var document = new
        {
            scenario,
            command,
            started,
            finished = DateTimeOffset.UtcNow,
            machine = new
            {
                processors = Environment.ProcessorCount,
                os = RuntimeInformation.OSDescription,
                runtime = RuntimeInformation.FrameworkDescription,
                gc = System.Runtime.GCSettings.IsServerGC ? "server" : "workstation",
            },
            results,
        };
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, document, Options, cancellationToken);
        return path;
    }
}
