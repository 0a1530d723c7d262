using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class CoalescingPipelineTests
{
    [Fact]
    public async Task Five_hundred_rows_from_fifty_chassis_make_one_scale_call_and_are_all_deleted()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        var chassis = new List<Guid>();
        for (var i = 0; i < 50; i++)
        {
            chassis.Add(await environment.Southbound.AddChassisAsync($"node-{i}"));
        }

        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        // Ten rows per chassis, as repeated packets after ovn-controller restarts and duplicate writes produce.
        var rows = Enumerable.Range(0, 500).Select(i => EventRow.For("10.96.0.10:80", chassis: chassis[i % 50], seqNum: (i / 50) + 1));
        var inserted = await environment.Southbound.InsertEventsAsync(rows);

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "all 500 rows deleted");
        Assert.Equal(500, inserted.Count);
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Single(await environment.Workloads.EventsAsync("shop", "NeedPods"));
        var handled = unidler.Reports.All.SelectMany(report => report.Events).Select(@event => @event.RowUuid).ToHashSet();
        Assert.Subset(handled, inserted.ToHashSet());
        Assert.Equal(500, unidler.Metrics.RowsDeletedCount);
        Assert.Equal(500, unidler.Metrics.EventsHandledCount(EventOutcome.Woken) + unidler.Metrics.EventsHandledCount(EventOutcome.AlreadyAwake)
            + unidler.Metrics.EventsHandledCount(EventOutcome.NotIdled));
    }

    [Fact]
    public async Task Rows_left_while_the_operator_was_down_are_handled_at_start_up()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 8080, replicas: 1);
        await environment.Southbound.InsertEventsAsync([EventRow.For("10.96.0.10:80"), EventRow.For("10.96.0.11:8080"), EventRow.For("10.96.0.10:80", seqNum: 2)]);

        await using var unidler = await environment.StartOperatorAsync();

        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the stale rows deleted");
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.Equal(1, await environment.Workloads.ReplicasAsync("shop", "api"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "web"));
        Assert.Equal(1, environment.DeploymentScaleWrites("shop", "api"));
    }
}
