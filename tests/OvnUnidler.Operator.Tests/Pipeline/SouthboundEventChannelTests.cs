using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Pipeline;

namespace OvnUnidler.Operator.Tests.Pipeline;

public sealed class SouthboundEventChannelTests
{
    [Fact]
    public async Task Rows_come_out_in_the_order_they_were_written_across_writes()
    {
        var channel = Channel(capacity: 100);
        var rows = Rows(10);

        await channel.WriteAsync(rows[..4], TestContext.Current.CancellationToken);
        await channel.WriteAsync(rows[4..], TestContext.Current.CancellationToken);

        Assert.Equal(10, channel.Depth);
        Assert.Equal(rows, ReadAll(channel));
        Assert.Equal(0, channel.Depth);
    }

    [Fact]
    public async Task A_writer_waits_while_the_channel_holds_its_capacity_and_goes_on_when_rows_are_read()
    {
        var channel = Channel(capacity: 3);
        var rows = Rows(5);

        var write = channel.WriteAsync(rows, TestContext.Current.CancellationToken).AsTask();

        Assert.False(write.IsCompleted);
        Assert.Equal(3, channel.Depth);
        Assert.True(channel.TryRead(out var first));
        await write.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        Assert.Equal(2, channel.Depth);
        Assert.Equal(rows, first.Concat(ReadAll(channel)));
    }

    [Fact]
    public async Task A_writer_cancelled_while_waiting_has_written_the_rows_before_the_wait_and_none_after()
    {
        var channel = Channel(capacity: 2);
        var rows = Rows(5);
        using var cancellation = new CancellationTokenSource();

        var write = channel.WriteAsync(rows, cancellation.Token).AsTask();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
        Assert.Equal(rows[..2], ReadAll(channel));
    }

    [Fact]
    public async Task A_reader_and_a_writer_running_together_pass_every_row_once_in_order_within_the_bound()
    {
        const int capacity = 7;
        var channel = Channel(capacity);
        var rows = Rows(20_000);
        var random = new Random(42);
        var batches = new List<EventParseResult[]>();
        for (var start = 0; start < rows.Length;)
        {
            var length = Math.Min(random.Next(1, 20), rows.Length - start);
            batches.Add(rows[start..(start + length)]);
            start += length;
        }

        // A lost wake-up would stall both sides: the deadline turns it into a failure.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        var writer = Task.Run(async () =>
        {
            foreach (var batch in batches)
            {
                await channel.WriteAsync(batch, deadline.Token);
            }
        }, deadline.Token);
        var read = new List<EventParseResult>();
        var deepest = 0;
        while (read.Count < rows.Length)
        {
            Assert.True(await channel.WaitToReadAsync(deadline.Token));
            deepest = Math.Max(deepest, channel.Depth);
            while (channel.TryRead(out var segment))
            {
                read.AddRange(segment);
            }
        }

        await writer;
        Assert.Equal(rows, read);
        Assert.InRange(deepest, 1, capacity);
    }

    private static SouthboundEventChannel Channel(int capacity) =>
        new(Options.Create(new UnidlerOptions { EventChannelCapacity = capacity }));

    private static EventParseResult[] Rows(int count) =>
        [.. Enumerable.Range(1, count).Select(seq => ControllerEventParser.Parse(new ControllerEvent(
            Guid.NewGuid(), Guid.Empty, seq, "empty_lb_backends", new Dictionary<string, string>(), DateTimeOffset.UnixEpoch, 0)))];

    private static List<EventParseResult> ReadAll(SouthboundEventChannel channel)
    {
        var read = new List<EventParseResult>();
        while (channel.TryRead(out var segment))
        {
            read.AddRange(segment);
        }

        return read;
    }
}
