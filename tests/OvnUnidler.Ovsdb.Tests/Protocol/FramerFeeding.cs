using System.Text;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

/// <summary>Feeds bytes to a framer in given chunk sizes, as socket reads would deliver them.</summary>
internal static class FramerFeeding
{
    public static List<JsonRpcMessage> Feed(JsonStreamFramer framer, byte[] bytes, IReadOnlyList<int> chunkSizes, Action<JsonStreamFramer>? afterEachChunk = null)
    {
        var messages = new List<JsonRpcMessage>();
        var offset = 0;
        var chunk = 0;
        while (offset < bytes.Length)
        {
            var size = Math.Min(bytes.Length - offset, Math.Max(1, chunkSizes.Count == 0 ? bytes.Length : chunkSizes[chunk++ % chunkSizes.Count]));
            var memory = framer.GetWriteMemory(size);
            var count = Math.Min(size, memory.Length);
            bytes.AsSpan(offset, count).CopyTo(memory.Span);
            framer.Advance(count);
            offset += count;
            while (framer.TryRead(out var message))
            {
                messages.Add(message);
            }

            afterEachChunk?.Invoke(framer);
        }

        return messages;
    }

    /// <summary>A message's content as text, for comparing what two ways of reading produced.</summary>
    public static string Describe(JsonRpcMessage message, bool withResult = true) =>
        $"method={message.Method} id={message.Id} params={Utf8(message.Params)} result={(withResult ? Utf8(message.Result) : "-")} error={message.Error?.GetRawText()}";

    private static string Utf8(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
