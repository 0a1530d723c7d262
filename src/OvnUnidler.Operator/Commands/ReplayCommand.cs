using OvnUnidler.Operator.Recording;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Commands;

public static class ReplayCommand
{
    public static async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var events = await RecordedEvent.ReadFileAsync(arguments.Require("input"), cancellationToken).ConfigureAwait(false);
        await using var southbound = new OvsdbClient(new OvsdbClientOptions { Remote = arguments.Require("southbound") });
        await southbound.StartAsync(cancellationToken).ConfigureAwait(false);
        var inserted = await new EventReplayer(southbound, TimeProvider.System).ReplayAsync(events, !arguments.Has("fast"), cancellationToken)
            .ConfigureAwait(false);
        await output.WriteLineAsync($"replayed {inserted.Count} Controller_Event row(s)").ConfigureAwait(false);
        return 0;
    }
}
