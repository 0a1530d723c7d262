using System.Globalization;
using OvnUnidler.Lab.Pods.Querying;
using OvnUnidler.Lab.Pods.Serving;

// The programs that run inside the real-traffic lab's pods (network namespaces):
//   serve --name NAME [--delay SECONDS] [--http-port 8080] [--udp-port 5353]
//   udp-query --target ADDRESS:PORT [--interval SECONDS] [--timeout SECONDS]
// Not disposed: ProcessExit may still cancel it after the program returned.
var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();

try
{
    return args switch
    {
        ["serve", .. var rest] => await PodServer.RunAsync(ServerOptions.Parse(rest), Console.Out, stop.Token),
        ["udp-query", .. var rest] => await UdpQueryClient.RunAsync(QueryOptions.Parse(rest), Console.Out, stop.Token),
        _ => Usage(),
    };
}
catch (ArgumentException exception)
{
    await Console.Error.WriteLineAsync(exception.Message);
    return 2;
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"usage: serve --name NAME [--delay S] [--http-port P] [--udp-port P] | udp-query --target ADDR:PORT [--interval S] [--timeout S]"));
    return 2;
}
