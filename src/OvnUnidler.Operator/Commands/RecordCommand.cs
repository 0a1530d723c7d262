using System.CommandLine;
using OvnUnidler.Operator.Recording;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Commands;

public static class RecordCommand
{
    public static Command Create()
    {
        var southbound = new Option<string>("--southbound") { Description = "The Southbound database's remote (unix:PATH, tcp:HOST:PORT)", HelpName = "REMOTE", Required = true };
        var path = new Option<string>("--output") { Description = "The JSON-lines file to write", HelpName = "FILE", Required = true };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: at Ctrl-C)", HelpName = "SECONDS" };
        duration.Validators.Add(result =>
        {
            if (result.GetValue(duration) is <= 0)
            {
                result.AddError("--duration must be more than 0 seconds");
            }
        });
        var includeExisting = new Option<bool>("--include-existing") { Description = "Also record the rows present when recording starts" };
        var command = new Command("record", "Capture Controller_Event rows from a live Southbound, with their time offsets, into a JSON-lines file")
        {
            southbound, path, duration, includeExisting,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var file = parse.GetRequiredValue(path);
            await using var client = new OvsdbClient(new OvsdbClientOptions { Remote = parse.GetRequiredValue(southbound) });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (parse.GetValue(duration) is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            await using var writer = new StreamWriter(file);
            var count = await new EventRecorder(client, TimeProvider.System).RecordAsync(writer, parse.GetValue(includeExisting), stop.Token).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"recorded {count} Controller_Event row(s) into {file}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
