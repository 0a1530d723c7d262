using OvnUnidler.Benchmarks.Reporting;
using OvnUnidler.Benchmarks.Running;
using OvnUnidler.Benchmarks.Scenarios;

CommandLine command;
try
{
    command = CommandLine.Parse(args);
}
catch (ArgumentException exception)
{
    Console.Error.WriteLine(exception.Message);
    Console.Error.WriteLine(CommandLine.Usage);
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    cancellation.Cancel();
};

var root = RepositoryRoot.Find();
var missed = 0;
foreach (var scenario in command.Scenarios)
{
    var started = DateTimeOffset.UtcNow;
    command.Context.Progress($"{scenario.Name}: {scenario.Description}");
    var results = await scenario.RunAsync(command.Context, cancellation.Token);
    ResultTable.Write(Console.Out, scenario.Name, results);
    var path = scenario is IArtifactScenario own
        ? await own.WriteArtifactAsync(root, cancellation.Token)
        : await ResultWriter.WriteAsync(
            root, scenario.Name, "dotnet run --project src/Tools/OvnUnidler.Benchmarks -c Release -- " + string.Join(' ', args), started, results, cancellation.Token);
    Console.WriteLine($"results: {Path.GetRelativePath(root, path)}");
    missed += results.Count(result => result.Met == false);
}

return missed == 0 ? 0 : 1;
