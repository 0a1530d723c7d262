using System.Text;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Tests.Harness;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

/// <summary>
/// Issue 14: decoding costs CPU in proportion to the bytes, however the reads split them. A monitor
/// reply is fed in reads of 296 bytes (as the fuzzer's slow cases were) at 1 and at 16 times a
/// small size; a byte of the large reply may cost at most twice the CPU of a byte of the small one
/// (16 times the input, at most 32 times the CPU). CPU time of the test's own thread, compared
/// within the test, so that the machine's speed and load cancel out. A decoder that reads again,
/// on each read, what it has read before pays more per byte the larger the reply (3 to 12 times
/// more here before the fix).
/// </summary>
public sealed class StreamedDecodingCostTests
{
    private const int Read = 296;
    private const int Factor = 16;

    public enum Shape
    {
        /// <summary>One row-update whose object repeats a member thousands of times (the fuzzer's seed 1 case 83328).</summary>
        RepeatedMembers,

        /// <summary>Thousands of small rows.</summary>
        ManyRows,

        /// <summary>One row whose columns are arrays nested 100 deep.</summary>
        DeepNesting,

        /// <summary>One row with one string column of hundreds of KB.</summary>
        LongString,
    }

    [Theory]
    [InlineData(Shape.RepeatedMembers)]
    [InlineData(Shape.ManyRows)]
    [InlineData(Shape.DeepNesting)]
    [InlineData(Shape.LongString)]
    public void Sixteen_times_the_reply_in_small_reads_costs_at_most_twice_the_cpu_per_byte(Shape shape)
    {
        var small = Reply(shape, 1);
        var large = Reply(shape, Factor);
        Assert.InRange(large.Length, 500_000, 1_000_000);

        // The first decode compiles the code; it is not measured.
        Decode(small);
        var smallCost = CpuCost.OfOneRun(() => Decode(small)).TotalNanoseconds / small.Length;
        var largeCost = CpuCost.OfOneRun(() => Decode(large)).TotalNanoseconds / large.Length;

        var figures = $"{shape}: {large.Length:N0} bytes in reads of {Read} cost {largeCost:0.00} ns of CPU per byte, " +
            $"{largeCost / smallCost:0.00} times the {smallCost:0.00} ns of {small.Length:N0} bytes (at most 2)";
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(largeCost <= 2 * smallCost, figures);
    }

    private static void Decode(byte[] reply)
    {
        var sink = new CountingSink();

        // Streamed from 4 KB on, so that the small reply takes the same path as the large one.
        var messages = FramerFeeding.Feed(new JsonStreamFramer(sinkFor: id => id == 1 ? sink : null, streamThreshold: 4096), reply, [Read]);

        Assert.True(Assert.Single(messages).IsStreamed);
        Assert.True(sink.Bytes > reply.Length / 2, $"the sink got {sink.Bytes} bytes of a {reply.Length}-byte reply");
    }

    /// <summary>A monitor_cond reply of about 40 KB times <paramref name="scale"/>.</summary>
    private static byte[] Reply(Shape shape, int scale)
    {
        var count = 190 * scale;
        var rows = new StringBuilder();
        switch (shape)
        {
            case Shape.RepeatedMembers:
                rows.Append($"\"{Row(0)}\":{{\"initial\":{{\"name\":\"lb\"}}");
                for (var index = 0; index < count; index++)
                {
                    rows.Append($",\"initial\":{{\"name\":\"lb-{index:D6}\",\"external_ids\":[\"map\",[[\"k8s.ovn.org/owner\",\"namespace-{index:D6}/service\"]]],\"vips\":[\"map\",[[\"10.96.{index % 250}.{index % 200}:80\",\"10.128.0.1:8080,10.128.0.2:8080\"]]],\"protocol\":\"tcp\"}}");
                }

                rows.Append('}');
                break;
            case Shape.ManyRows:
                for (var index = 0; index < count; index++)
                {
                    rows.Append(index == 0 ? "" : ",").Append($"\"{Row(index)}\":{{\"initial\":{{\"event_type\":\"empty_lb_backends\",\"seq_num\":{index},\"event_info\":[\"map\",[[\"vip\",\"10.96.0.{index % 250}:80\"],[\"protocol\",\"tcp\"],[\"load_balancer\",\"{Row(index)}\"]]],\"chassis\":[\"uuid\",\"{Row(7)}\"]}}}}");
                }

                break;
            case Shape.DeepNesting:
                rows.Append($"\"{Row(0)}\":{{\"initial\":{{\"name\":\"lb\"");
                for (var index = 0; index < count; index++)
                {
                    rows.Append($",\"c{index}\":").Append('[', 100).Append(index).Append(']', 100);
                }

                rows.Append("}}");
                break;
            case Shape.LongString:
                rows.Append($"\"{Row(0)}\":{{\"initial\":{{\"name\":\"").Append('x', 40_000 * scale).Append("\"}}");
                break;
        }

        return Encoding.UTF8.GetBytes($"{{\"id\":1,\"result\":{{\"Load_Balancer\":{{{rows}}}}},\"error\":null}}");
    }

    private static Guid Row(int index) => new($"0a0a0a0a-0000-4000-8000-{index:D12}");

    private sealed class CountingSink : IJsonRpcResultSink
    {
        public long Bytes { get; private set; }

        public int TableUpdatesIndex => -1;

        public void OnResultElement(int index, ReadOnlySpan<byte> json)
        {
        }

        public void OnRowUpdate(string table, Guid uuid, ReadOnlyMemory<byte> rowUpdate) => Bytes += rowUpdate.Length;
    }
}
