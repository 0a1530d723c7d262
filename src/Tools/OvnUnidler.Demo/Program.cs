using OvnUnidler.Demo;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};
if (args is ["record-fixtures", var directory])
{
    return await new FixtureRecording(Console.Out).RunAsync(directory, stop.Token);
}

return await new DemoRun(new Narrator(Console.Out)).RunAsync(stop.Token);
