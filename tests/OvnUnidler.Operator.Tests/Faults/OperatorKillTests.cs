using System.Globalization;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Faults;

public sealed class OperatorKillTests
{
    private const int Rounds = 20;

    [Fact]
    public async Task An_operator_killed_at_random_points_of_wakes_never_wakes_a_service_twice_and_leaves_no_row()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var scenario = new FaultScenario(environment, idledServices: Rounds);
        await scenario.CreateAsync();
        var chassis = new[] { await environment.Southbound.AddChassisAsync("node-a"), await environment.Southbound.AddChassisAsync("node-b") };
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);
        var settings = environment.ProcessSettings(kubeconfig.Path);
        settings["Unidler__BackendsTimeout"] = "00:00:05";
        // A fixed seed makes a failure reproducible; the kill points still cover the whole wake.
        var random = new Random(20261123);
        var unidler = OperatorProcess.Start(settings);
        var killedBeforeScale = 0;
        var killedBetweenScaleAndAck = 0;
        try
        {
            for (var round = 0; round < Rounds; round++)
            {
                await unidler.WaitUntilReadyAsync(Deadline.Long, TestContext.Current.CancellationToken);
                var (name, vip) = scenario.Idled[round];
                await environment.Southbound.InsertEventsAsync(chassis.Select((node, i) => EventRow.For(vip, chassis: node, seqNum: round + 1)));
                // Early kills land before the scale, middle ones while waiting for endpoints, late ones after the ack.
                var delay = (round % 3) switch { 0 => random.Next(0, 8), 1 => random.Next(8, 150), _ => random.Next(150, 400) };
                await Task.Delay(TimeSpan.FromMilliseconds(delay), TestContext.Current.CancellationToken);
                await unidler.KillAsync(TestContext.Current.CancellationToken);
                var scaled = environment.DeploymentScaleWrites(FaultScenario.Namespace, name) > 0;
                var rowsLeft = await environment.Southbound.CountEventRowsAsync();
                killedBeforeScale += scaled ? 0 : 1;
                killedBetweenScaleAndAck += scaled && rowsLeft > 0 ? 1 : 0;
                await unidler.DisposeAsync();
                unidler = OperatorProcess.Start(settings);
                try
                {
                    await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0,
                        string.Create(CultureInfo.InvariantCulture, $"round {round}: the rows of {name} deleted by the restarted operator"), TimeSpan.FromSeconds(30));
                }
                catch (TimeoutException timeout)
                {
                    throw new TimeoutException($"{timeout.Message}\nkilled after {delay} ms; the restarted operator wrote:\n{unidler.RecentOutput}", timeout);
                }

                Assert.True(environment.DeploymentScaleWrites(FaultScenario.Namespace, name) == 1,
                    $"round {round}: {name} was scaled {environment.DeploymentScaleWrites(FaultScenario.Namespace, name)} times\n{unidler.RecentOutput}");
            }

            TestContext.Current.TestOutputHelper?.WriteLine(
                $"killed before the scale: {killedBeforeScale}, between scale and acknowledgement: {killedBetweenScaleAndAck}, after: {Rounds - killedBeforeScale - killedBetweenScaleAndAck}");
            Assert.True(killedBeforeScale > 0 && killedBetweenScaleAndAck > 0,
                $"the kills must hit both sides of the scale: before {killedBeforeScale}, between scale and ack {killedBetweenScaleAndAck}");
            await environment.Southbound.InsertEventAsync(scenario.BystanderVip);
            await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync();
        }
        finally
        {
            await unidler.DisposeAsync();
        }
    }
}
