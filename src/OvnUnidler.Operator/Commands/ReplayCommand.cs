using System.CommandLine;
using OvnUnidler.Operator.Recording;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Commands;

public static class ReplayCommand
{
    public static Command Create()
    {
        var southbound = new Option<string>("--southbound") { Description = "The Southbound database's remote to write into", HelpName = "REMOTE", Required = true };
        var input = new Option<string>("--input") { Description = "A file written by record", HelpName = "FILE", Required = true };
        var fast = new Option<bool>("--fast") { Description = "Insert every row at once instead of at the recorded pace" };
        var command = new Command("replay", "Write recorded Controller_Event rows into a Southbound at the recorded pace, a stand-in chassis for each recorded one")
        {
            southbound, input, fast,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var events = await RecordedEvent.ReadFileAsync(parse.GetRequiredValue(input), cancellationToken).ConfigureAwait(false);
            await using var client = new OvsdbClient(new OvsdbClientOptions { Remote = parse.GetRequiredValue(southbound) });
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
            var inserted = await new EventReplayer(client, TimeProvider.System).ReplayAsync(events, !parse.GetValue(fast), cancellationToken).ConfigureAwait(false);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"replayed {inserted.Count} Controller_Event row(s)").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }
}
