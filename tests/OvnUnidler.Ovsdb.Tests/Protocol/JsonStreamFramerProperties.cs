using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

/// <summary>
/// Properties of the framer over generated streams: how the bytes are split never changes what is
/// read, streamed monitor replies hand out the same rows as replies read whole, and garbage is
/// refused with <see cref="OvsdbProtocolException"/> and nothing else.
/// </summary>
public sealed class JsonStreamFramerProperties
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(300).WithQuietOnSuccess(true);

    // Raw UTF-8 and unescaped braces inside strings, as ovsdb-server writes them.
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Gen<string> Text = Gen.Elements("", "a", "{", "}", "[", "]", "\"", "\\", "\\\"", "é", "日本", "😀", "\n", "\u0001", " ", ":", ",", "null")
        .ListOf().Select(parts => string.Concat(parts.Take(6)));

    private static readonly Gen<int[]> ChunkSizes = Gen.Choose(1, 97).ArrayOf().Select(sizes => sizes.Length == 0 ? [1] : sizes);

    private static readonly Gen<string> Whitespace = Gen.Elements("", " ", "\n", "\r\n", "\t ");

    [Fact]
    public void Any_split_of_a_stream_of_messages_decodes_to_the_same_messages()
    {
        var gen =
            from messages in Message.ListOf()
            from separators in Whitespace.ArrayOf()
            from chunks in ChunkSizes
            select (messages, separators, chunks);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (messages, separators, chunks) = input;
            var stream = Encoding.UTF8.GetBytes(string.Concat(messages.Select((message, index) =>
                (separators.Length == 0 ? "" : separators[index % separators.Length]) + message)));
            var expected = messages.Select(message => FramerFeeding.Describe(JsonRpcMessage.Parse(Frame(message)))).ToList();

            var decoded = FramerFeeding.Feed(new JsonStreamFramer(), stream, chunks).Select(message => FramerFeeding.Describe(message)).ToList();

            Assert.Equal(expected, decoded);
        }));
    }

    [Fact]
    public void Any_split_of_a_streamed_monitor_reply_hands_the_sink_the_same_rows_as_reading_it_whole()
    {
        var gen =
            from id in Gen.Choose(200_000, 300_000)
            from since in Gen.Elements(true, false)
            from rows in Row.ListOf()
            from before in Message.ListOf()
            from after in Message.ListOf()
            from threshold in Gen.Choose(0, 300)
            from chunks in ChunkSizes
            select (id, since, rows, before, after, threshold, chunks);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (id, since, rows, before, after, threshold, chunks) = input;
            var updates = "{\"Controller_Event\":{" + string.Join(',', rows) + "}}";
            var result = since ? $"[true,\"{Guid.Empty}\",{updates}]" : updates;
            var reply = $"{{\"id\":{id},\"result\":{result},\"error\":null}}";
            var whole = new RecordingSink(since ? 2 : -1);
            TableUpdatesWalker.WalkResult(JsonRpcMessage.Parse(Frame(reply)).Result, whole);
            var streamed = new RecordingSink(since ? 2 : -1);
            var framer = new JsonStreamFramer(sinkFor: candidate => candidate == id ? streamed : null, streamThreshold: threshold);
            var stream = Encoding.UTF8.GetBytes(string.Concat(before) + reply + string.Concat(after));

            var messages = FramerFeeding.Feed(framer, stream, chunks);
            var response = messages[before.Count];
            if (!response.IsStreamed)
            {
                TableUpdatesWalker.WalkResult(response.Result, streamed);
            }

            Assert.Equal(before.Count + 1 + after.Count, messages.Count);
            Assert.Equal(id.ToString(System.Globalization.CultureInfo.InvariantCulture), response.Id);
            Assert.Null(response.Error);
            Assert.Equal(whole.Received, streamed.Received);
            Assert.Equal(
                after.Select(message => FramerFeeding.Describe(JsonRpcMessage.Parse(Frame(message)))),
                messages.Skip(before.Count + 1).Select(message => FramerFeeding.Describe(message)));
        }));
    }

    [Fact]
    public void Garbage_yields_a_protocol_error_or_more_reading_never_another_exception()
    {
        var garbageByte = Gen.Frequency(
            (6, Gen.Elements("{}[]\":,\\ \n0aetrufls-.".Select(character => (byte)character).ToArray())),
            (1, Gen.Choose(0, 255).Select(value => (byte)value)));
        var gen =
            from prefix in Message.ListOf()
            from garbage in garbageByte.ArrayOf()
            from chunks in ChunkSizes
            from threshold in Gen.Choose(0, 64)
            select (prefix, garbage, chunks, threshold);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (prefix, garbage, chunks, threshold) = input;
            var stream = Encoding.UTF8.GetBytes(string.Concat(prefix)).Concat(garbage).ToArray();
            var sink = new RecordingSink(-1);
            var framer = new JsonStreamFramer(maxMessageBytes: 4096, sinkFor: _ => sink, streamThreshold: threshold);
            try
            {
                FramerFeeding.Feed(framer, stream, chunks);
            }
            catch (OvsdbProtocolException)
            {
            }
        }));
    }

    [Fact]
    public void A_valid_stream_with_one_byte_changed_yields_messages_or_a_protocol_error()
    {
        var gen =
            from messages in Message.NonEmptyListOf()
            from position in Gen.Choose(0, int.MaxValue)
            from replacement in Gen.Elements("{}[]\",:\\x0 ".Select(character => (byte)character).ToArray())
            from chunks in ChunkSizes
            select (messages, position, replacement, chunks);
        Check.One(Runs, Prop.ForAll(gen.ToArbitrary(), input =>
        {
            var (messages, position, replacement, chunks) = input;
            var stream = Encoding.UTF8.GetBytes(string.Concat(messages));
            stream[position % stream.Length] = replacement;
            try
            {
                FramerFeeding.Feed(new JsonStreamFramer(sinkFor: _ => new RecordingSink(2), streamThreshold: 0), stream, chunks);
            }
            catch (OvsdbProtocolException)
            {
            }
        }));
    }

    /// <summary>Requests, notifications and responses with arbitrary JSON in params, result and error.</summary>
    private static Gen<string> Message =>
        Gen.OneOf(
            from id in Gen.Choose(0, 100000)
            from method in Gen.Elements("echo", "transact", "update2", "update3", "monitor_canceled")
            from parameters in Value(3).ListOf()
            select $"{{\"id\":{id},\"method\":{Quote(method)},\"params\":[{string.Join(',', parameters)}]}}",
            from method in Gen.Elements("update2", "update3", "echo")
            from parameters in Value(3).ListOf()
            select $"{{\"id\":null,\"method\":{Quote(method)},\"params\":[{string.Join(',', parameters)}]}}",
            from id in Gen.Choose(0, 100000)
            from result in Value(3)
            select $"{{\"id\":{id},\"result\":{result},\"error\":null}}",
            from id in Gen.Elements("7", "\"echo\"")
            from error in Text
            from details in Text
            select $"{{\"id\":{id},\"result\":null,\"error\":{{\"error\":{Quote(error)},\"details\":{Quote(details)}}}}}");

    private static Gen<string> Row =>
        from uuid in Gen.Fresh(Guid.NewGuid)
        from kind in Gen.Elements("initial", "insert", "modify", "delete")
        from row in Value(2)
        select $"\"{uuid}\":{{\"{kind}\":{(kind == "delete" ? "null" : $"{{\"seq_num\":1,\"v\":{row}}}")}}}";

    /// <summary>Any JSON value, as text.</summary>
    private static Gen<string> Value(int depth)
    {
        var atom = Gen.OneOf(
            Gen.Choose(-1000, 1000).Select(number => number.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Text.Select(Quote),
            Gen.Elements("true", "false", "null", "0.5", "-1.5e-7"));
        if (depth == 0)
        {
            return atom;
        }

        return Gen.Frequency(
            (3, atom),
            (1, Value(depth - 1).ListOf().Select(items => "[" + string.Join(',', items.Take(4)) + "]")),
            (1, Gen.Zip(Text, Value(depth - 1)).ListOf().Select(pairs =>
                "{" + string.Join(',', pairs.Take(4).DistinctBy(pair => pair.Item1).Select(pair => Quote(pair.Item1) + ":" + pair.Item2)) + "}")));
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text, Relaxed);

    private static JsonFrame Frame(string message)
    {
        var bytes = Encoding.UTF8.GetBytes(message);
        return new JsonFrame(bytes, 0, bytes.Length);
    }
}
