using Microsoft.Extensions.Time.Testing;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Pipeline;
using OvnUnidler.Operator.Tests.Model;

namespace OvnUnidler.Operator.Tests.Pipeline;

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
        Assert.Equal(500, coordinator.Complete(wake, EventOutcome.Woken).Count);
    }

    [Fact]
    public void Rows_arriving_while_a_wake_runs_are_acknowledged_with_it()
    {
        coordinator.Add(Web, Event());
        Assert.True(coordinator.Ready.TryRead(out var wake));

        coordinator.Add(Web, Event());
        coordinator.Add(Web, Event());

        Assert.Equal(3, coordinator.Complete(wake, EventOutcome.Woken).Count);
        Assert.False(coordinator.IsActive(Web));
    }

    [Fact]
    public void A_row_seen_after_completion_starts_a_new_wake()
    {
        coordinator.Add(Web, Event());
        Assert.True(coordinator.Ready.TryRead(out var first));
        coordinator.Complete(first, EventOutcome.Woken);

        var later = Event();
        Assert.False(coordinator.TryCover(Web, later, out _));
        Assert.True(coordinator.Add(Web, later));
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

        Assert.Single(coordinator.Complete(wake, EventOutcome.Woken));
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
        Assert.Single(coordinator.Complete(again, EventOutcome.Woken));
    }

    [Theory]
    [InlineData(EventOutcome.Woken)]
    [InlineData(EventOutcome.AlreadyAwake)]
    [InlineData(EventOutcome.NotIdled)]
    public void A_row_that_existed_before_a_wake_finished_is_covered_by_it_when_read_later(EventOutcome outcome)
    {
        var (clock, coordinator, existedDuringTheWake) = FinishedWake(outcome);
        clock.Advance(TimeSpan.FromMilliseconds(300));

        Assert.True(coordinator.TryCover(Web, existedDuringTheWake, out var covered));
        Assert.Equal(outcome, covered);
        Assert.False(coordinator.TryCover(new ServiceKey("shop", "api"), existedDuringTheWake, out _));
    }

    [Fact]
    public void A_wake_that_failed_for_good_covers_no_row()
    {
        var (_, coordinator, earlier) = FinishedWake(EventOutcome.Terminal);

        Assert.False(coordinator.TryCover(Web, earlier, out _));
        Assert.True(coordinator.Add(Web, earlier));
    }

    [Fact]
    public void A_running_wake_takes_rows_instead_of_covering_them()
    {
        var (clock, coordinator, earlier) = FinishedWake(EventOutcome.Woken);

        coordinator.Add(Web, Event(clock));

        Assert.False(coordinator.TryCover(Web, earlier, out _));
    }

    [Fact]
    public void A_finished_wake_stops_covering_after_the_cover_window()
    {
        var (clock, coordinator, earlier) = FinishedWake(EventOutcome.Woken);

        clock.Advance(WakeCoordinator.CoverWindow);

        Assert.False(coordinator.TryCover(Web, earlier, out _));
    }

    // A wake of Web that ran 300 ms and ended with the outcome, and a row that existed while it ran but was not read.
    private static (FakeTimeProvider Clock, WakeCoordinator Coordinator, EmptyBackendsEvent Earlier) FinishedWake(EventOutcome outcome)
    {
        var clock = new FakeTimeProvider();
        var coordinator = new WakeCoordinator(clock);
        coordinator.Add(Web, Event(clock));
        var earlier = Event(clock);
        Assert.True(coordinator.Ready.TryRead(out var wake));
        clock.Advance(TimeSpan.FromMilliseconds(300));
        coordinator.Complete(wake, outcome);
        return (clock, coordinator, earlier);
    }

    private static EmptyBackendsEvent Event(TimeProvider? clock = null)
    {
        var row = ControllerEventParserTests.Row(("vip", "10.96.0.10:80"), ("protocol", "tcp")) with
        {
            ExistedBy = (clock ?? TimeProvider.System).GetTimestamp(),
        };
        return ControllerEventParser.Parse(row).Event!;
    }
}
