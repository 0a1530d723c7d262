using System.Text;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

public sealed class JsonStreamFramerTests
{
    [Fact]
    public void Reads_objects_back_to_back_with_braces_and_escapes_inside_strings()
    {
        var stream = """{"id":1,"result":"}{\"]","error":null}{"id":null,"method":"update2","params":["m",{"T":{}}]}  {"id":"echo","method":"echo","params":[]}""";

        var messages = FramerFeeding.Feed(new JsonStreamFramer(), Encoding.UTF8.GetBytes(stream), [1]);

        Assert.Equal(3, messages.Count);
        Assert.Equal("\"}{\\\"]\"", Encoding.UTF8.GetString(messages[0].Result.Span));
        Assert.True(messages[1].IsNotification);
        Assert.True(messages[2].IsRequest);
    }

    [Theory]
    [InlineData("[1,2]", "a JSON-RPC message must be an object")]
    [InlineData("\"text\"", "byte 0x22")]
    [InlineData("42", "byte 0x34 ('4')")]
    [InlineData("{\"id\":1,\"result\":1,}", "malformed JSON-RPC message")]
    [InlineData("{\"id\":1,\"result\":[}]", "malformed JSON-RPC message")]
    [InlineData("{\"method\":5,\"id\":1,\"params\":[]}", "method is not a string")]
    [InlineData("{\"result\":1}", "neither method nor id")]
    public void Refuses_what_is_not_a_json_rpc_message_and_says_what(string stream, string problem)
    {
        var error = Assert.Throws<OvsdbProtocolException>(() => FramerFeeding.Feed(new JsonStreamFramer(), Encoding.UTF8.GetBytes(stream), [3]));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Notification_without_params_gets_an_empty_array()
    {
        var message = FramerFeeding.Feed(new JsonStreamFramer(), """{"method":"echo","id":null}"""u8.ToArray(), [])[0];

        Assert.Equal("[]", Encoding.UTF8.GetString(message.Params.Span));
    }

    [Fact]
    public void A_message_longer_than_the_limit_is_refused_even_inside_a_string()
    {
        var stream = Encoding.UTF8.GetBytes("{\"id\":1,\"result\":\"" + new string('x', 5000));

        var error = Assert.Throws<OvsdbProtocolException>(() => FramerFeeding.Feed(new JsonStreamFramer(maxMessageBytes: 4096), stream, [512]));

        Assert.Equal("a message exceeds 4096 bytes", error.Message);
    }

    [Fact]
    public void A_streamed_monitor_reply_is_never_held_whole()
    {
        var rows = string.Join(',', Enumerable.Range(0, 20_000).Select(seq =>
            $"\"{Guid.NewGuid()}\":{{\"initial\":{{\"event_type\":\"empty_lb_backends\",\"seq_num\":{seq},\"event_info\":[\"map\",[[\"vip\",\"10.0.0.1:80\"]]]}}}}"));
        var reply = Encoding.UTF8.GetBytes($"{{\"id\":3,\"result\":[false,\"{Guid.Empty}\",{{\"Controller_Event\":{{{rows}}}}}],\"error\":null}}");
        var sink = new CountingSink();
        var largestBuffered = 0;

        var messages = FramerFeeding.Feed(
            new JsonStreamFramer(sinkFor: id => id == 3 ? sink : null), reply, [65536], framer => largestBuffered = Math.Max(largestBuffered, framer.BufferedBytes));

        Assert.True(reply.Length > 2_000_000);
        Assert.True(messages.Single().IsStreamed);
        Assert.Equal(20_000, sink.Rows);
        Assert.InRange(largestBuffered, 1, 2 * 65536);
    }

    private sealed class CountingSink : IJsonRpcResultSink
    {
        public int Rows { get; private set; }

        public int TableUpdatesIndex => 2;

        public void OnResultElement(int index, ReadOnlySpan<byte> json)
        {
        }

        public void OnRowUpdate(string table, Guid uuid, ReadOnlyMemory<byte> rowUpdate) => Rows++;
    }
}
