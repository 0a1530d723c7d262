using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Faults;

public sealed class MalformedRowFaultTests
{
    [Fact]
    public async Task Malformed_rows_are_acknowledged_with_a_warning_and_the_valid_row_among_them_still_wakes()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var scenario = new FaultScenario(environment, idledServices: 1);
        await scenario.CreateAsync();
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();
        // ovsdb-client takes the transaction as one argument, which Linux caps at 128 KiB.
        var huge = new string('x', 20_000);
        EventRow[] malformed =
        [
            new("empty_lb_backends", 1, null, new Dictionary<string, string> { ["protocol"] = "tcp" }),
            new("empty_lb_backends", 2, null, new Dictionary<string, string> { ["vip"] = "10.96.1.1:80" }),
            new("empty_lb_backends", 3, null, new Dictionary<string, string>
            {
                ["vip"] = "10.96.1.1:80", ["protocol"] = "tcp", ["load_balancer"] = "not-a-uuid", ["extra"] = "ignored",
            }),
            EventRow.For("10.96.1.1:99999"),
            EventRow.For("10.96.1.1:80", protocol: "quic"),
            EventRow.For("[fd00::1:80"),
            EventRow.For(huge),
            EventRow.For("10.96.1.1:80", protocol: huge),
            new("empty_lb_backends", 4, null, new Dictionary<string, string> { ["vip"] = "10.96.1.1:80", ["protocol"] = "tcp", [huge] = huge }),
        ];

        await environment.Southbound.InsertEventsAsync([.. malformed, EventRow.For("10.96.1.1:80"), EventRow.For(scenario.BystanderVip)]);

        await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync();
        Assert.True(unidler.Metrics.EventsHandledCount(EventOutcome.Malformed) >= 6,
            $"malformed: {unidler.Metrics.EventsHandledCount(EventOutcome.Malformed)}");
        Assert.Equal(1, unidler.Metrics.EventsHandledCount(EventOutcome.NotIdled));
    }
}
