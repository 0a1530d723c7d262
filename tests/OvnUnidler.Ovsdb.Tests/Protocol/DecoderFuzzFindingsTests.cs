using System.Text;
using System.Text.Json;
using OvnUnidler.Ovsdb.Protocol;
using OvnUnidler.Ovsdb.Transactions;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

/// <summary>
/// What the decoder fuzzer (issue 6) found: server bytes that made the decoder throw exceptions it
/// does not document. Each must now be a protocol error, or read without one.
/// </summary>
public sealed class DecoderFuzzFindingsTests
{
    private static readonly Guid Row = Guid.Parse("0a0a0a0a-0000-4000-8000-00000000000a");

    [Theory]
    [InlineData(new byte[] { 0xff, 0xfe })]
    [InlineData(new byte[] { 0xc0, 0x80 })]
    [InlineData(new byte[] { 0xed, 0xa0, 0x80 })]
    public void Message_that_is_not_utf8_is_a_protocol_error(byte[] garbage)
    {
        var bytes = Concat("{\"id\":1,\"error\":{\"error\":\"x\",\"details\":\""u8, garbage, "\"}}"u8);

        var error = Assert.Throws<OvsdbProtocolException>(() => FramerFeeding.Feed(new JsonStreamFramer(), bytes, []));

        Assert.Contains("not valid UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":null,"method":"update2","params":["\ud800",{}]}""")]
    [InlineData("""{"id":1,"result":["OVN_Southbound","\udc00\ud800"],"error":null}""")]
    [InlineData("""{"\ud800id":1,"result":[],"error":null}""")]
    public void String_escaping_a_lone_surrogate_is_a_protocol_error(string message)
    {
        var error = Assert.Throws<OvsdbProtocolException>(() => FramerFeeding.Feed(new JsonStreamFramer(), Encoding.UTF8.GetBytes(message), []));

        Assert.Contains("not text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Streamed_row_that_is_not_utf8_is_a_protocol_error_before_the_sink_sees_it()
    {
        var sink = new RecordingSink(-1);
        var bytes = Concat(Encoding.UTF8.GetBytes($"{{\"id\":1,\"result\":{{\"Controller_Event\":{{\"{Row}\":{{\"initial\":{{\"event_type\":\""), [0xff], "\"}}}},\"error\":null}"u8);

        Assert.Throws<OvsdbProtocolException>(() => FramerFeeding.Feed(new JsonStreamFramer(sinkFor: _ => sink, streamThreshold: 1), bytes, [7]));

        Assert.Empty(sink.Received);
    }

    [Fact]
    public void Streamed_reply_with_an_escaped_lone_surrogate_member_name_is_a_protocol_error()
    {
        var sink = new RecordingSink(-1);
        var bytes = Encoding.UTF8.GetBytes("""{"\ud800":1,"id":1,"result":{},"error":null}""");

        Assert.Throws<OvsdbProtocolException>(() => FramerFeeding.Feed(new JsonStreamFramer(sinkFor: _ => sink, streamThreshold: 1), bytes, [5]));
    }

    [Fact]
    public void Echo_nested_as_deep_as_a_message_may_be_is_answered()
    {
        var parameters = new string('[', 100) + new string(']', 100);
        var request = FramerFeeding.Feed(new JsonStreamFramer(), Encoding.UTF8.GetBytes($$"""{"id":"echo","method":"echo","params":[{{parameters}}]}"""), [])[0];

        var reply = ServerRequestReply.For(request);

        Assert.Equal($"[{parameters}]", reply["result"]!.ToJsonString());
    }

    [Fact]
    public void Transact_results_of_the_wrong_types_read_as_absent()
    {
        var response = FramerFeeding.Feed(new JsonStreamFramer(), """{"id":1,"result":[{"count":"x"},{"uuid":[5,"x"],"count":{}}],"error":null}"""u8.ToArray(), [])[0];

        var results = TransactionResults.Read(response, [OvsdbOperation.Comment("a"), OvsdbOperation.Comment("b")]);

        Assert.All(results, result => Assert.Equal((null, null), (result.Count, result.Uuid)));
    }

    [Fact]
    public void Set_or_map_notation_with_a_non_string_tag_is_a_bare_value()
    {
        using var document = JsonDocument.Parse("""[5,[1,2]]""");

        Assert.Single(OvsdbWire.ReadSet(document.RootElement));
        Assert.False(OvsdbWire.TryReadUuid(document.RootElement, out _));
    }

    private static byte[] Concat(ReadOnlySpan<byte> first, byte[] middle, ReadOnlySpan<byte> last) => [.. first, .. middle, .. last];
}
