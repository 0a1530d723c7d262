using OvnUnidler.Operator.Mapping;
using OvnUnidler.Operator.Southbound;
using OvnUnidler.Operator.Tests.Southbound;
using OvnUnidler.Operator.Waking;

namespace OvnUnidler.Operator.Tests.Waking;

public sealed class WakeCoordinatorTests
{
    private static readonly ServiceKey Web = new("shop", "web");
    private readonly WakeCoordinator coordinator = new(TimeProvider.System);

    [Fact]
    public void Coalesces_500_rows_from_50_chassis_into_one_wake()
    {
        var started = Enumerable.Range(0, 500).Count(i => coordinator.Add(Web, Event()));

        Assert.Equal(1, started);
        Assert.True(coordinator.Ready.TryRead(out var wake));
        Assert.False(coordinator.Ready.TryRead(out _));
        Assert.Equal(500, coordinator.Complete(wake).Count);
    }

    [Fact]
    public void Rows_arriving_while_a_wake_runs_are_acknowledged_with_it()
    {
        coordinator.Add(Web, Event());
        Assert.True(coordinator.Ready.TryRead(out var wake));

        coordinator.Add(Web, Event());
        coordinator.Add(Web, Event());

        Assert.Equal(3, coordinator.Complete(wake).Count);
        Assert.False(coordinator.IsActive(Web));
    }

    [Fact]
    public void A_row_after_completion_starts_a_new_wake()
    {
        coordinator.Add(Web, Event());
        Assert.True(coordinator.Ready.TryRead(out var first));
        coordinator.Complete(first);

        Assert.True(coordinator.Add(Web, Event()));
        Assert.True(coordinator.Ready.TryRead(out var second));
        Assert.NotSame(first, second);
    }

    [Fact]
    public void The_same_row_reported_twice_is_held_once()
    {
        var row = Event();
        coordinator.Add(Web, row);
        coordinator.Add(Web, row);
        Assert.True(coordinator.Ready.TryRead(out var wake));

        Assert.Single(coordinator.Complete(wake));
    }

    [Fact]
    public void Different_services_wake_independently()
    {
        coordinator.Add(Web, Event());
        coordinator.Add(new ServiceKey("shop", "api"), Event());

        Assert.Equal(2, coordinator.ActiveCount);
        Assert.True(coordinator.Ready.TryRead(out _));
        Assert.True(coordinator.Ready.TryRead(out _));
    }

    [Fact]
    public async Task A_retried_wake_returns_to_the_queue_with_its_rows()
    {
        coordinator.Add(Web, Event());
        Assert.True(coordinator.Ready.TryRead(out var wake));

        coordinator.RetryLater(wake, TimeSpan.FromMilliseconds(20), TestContext.Current.CancellationToken);
        var again = await coordinator.Ready.ReadAsync(TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Same(wake, again);
        Assert.Single(coordinator.Complete(again));
    }

    private static EmptyBackendsEvent Event()
    {
        var parsed = ControllerEventParser.Parse(ControllerEventParserTests.Row(("vip", "10.96.0.10:80"), ("protocol", "tcp")));
        return parsed.Event!;
    }
}
