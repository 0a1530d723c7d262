using OvnUnidler.Demo;

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, eventArgs) =>
{
    eventArgs.Cancel = true;
    stop.Cancel();
};
return await new DemoRun(new Narrator(Console.Out)).RunAsync(stop.Token);
