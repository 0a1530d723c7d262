using OvnUnidler.Demo;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};
return args switch
{
    ["record-fixtures", var directory] => await new FixtureRecording(Console.Out).RunAsync(directory, stop.Token),
    ["packet"] => await new PacketDemoRun(new Narrator(Console.Out)).RunAsync(stop.Token),
    [] or ["real"] => await new RealDemoRun(new Narrator(Console.Out)).RunAsync(stop.Token),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: [real] | packet | record-fixtures DIRECTORY");
    return 2;
}
