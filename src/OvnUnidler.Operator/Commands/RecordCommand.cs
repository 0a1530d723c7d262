using System.Globalization;
using OvnUnidler.Operator.Recording;
using OvnUnidler.Ovsdb;

namespace OvnUnidler.Operator.Commands;

public static class RecordCommand
{
    public static async Task<int> RunAsync(CommandArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var path = arguments.Require("output");
        await using var southbound = new OvsdbClient(new OvsdbClientOptions { Remote = arguments.Require("southbound") });
        using var duration = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (arguments.Get("duration") is { } seconds)
        {
            duration.CancelAfter(TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)));
        }

        await using var file = new StreamWriter(path);
        var count = await new EventRecorder(southbound, TimeProvider.System).RecordAsync(file, arguments.Has("include-existing"), duration.Token)
            .ConfigureAwait(false);
        await output.WriteLineAsync($"recorded {count} Controller_Event row(s) into {path}").ConfigureAwait(false);
        return 0;
    }
}
