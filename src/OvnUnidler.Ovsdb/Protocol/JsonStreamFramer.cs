namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>
/// Splits the byte stream into JSON values. ovsdb-server sends JSON-RPC objects back to back with
/// no delimiter (RFC 7047 section 4 leaves framing to JSON itself), so a message ends where its
/// outermost brace closes; strings are tracked so braces and escapes inside them do not count.
/// The scan is incremental: each byte is looked at once however the stream is split.
/// </summary>
public sealed class JsonStreamFramer(int maxMessageBytes = 1 << 30)
{
    // Large messages (the initial monitor reply can be tens of MB) are handed over without a copy:
    // the frame takes the buffer and the framer starts a new one with what followed.
    private const int HandOverThreshold = 64 * 1024;
    private const int InitialSize = 16 * 1024;

    private byte[] buffer = new byte[InitialSize];
    private int start;
    private int end;
    private int scan;
    private int depth;
    private bool inString;
    private bool escaped;

    public int BufferedBytes => end - start;

    /// <summary>Space to read into; call <see cref="Advance"/> with the count read.</summary>
    public Memory<byte> GetWriteMemory(int sizeHint = 8192)
    {
        if (buffer.Length - end < sizeHint)
        {
            var used = end - start;
            var needed = used + Math.Max(sizeHint, used);
            if (start > 0 && buffer.Length - used >= sizeHint && used < buffer.Length / 2)
            {
                Buffer.BlockCopy(buffer, start, buffer, 0, used);
            }
            else
            {
                var bigger = new byte[Math.Max(needed, buffer.Length * 2)];
                Buffer.BlockCopy(buffer, start, bigger, 0, used);
                buffer = bigger;
            }

            scan -= start;
            end = used;
            start = 0;
        }

        return buffer.AsMemory(end);
    }

    public void Advance(int count) => end += count;

    public bool TryRead(out JsonFrame frame)
    {
        for (; scan < end; scan++)
        {
            var b = buffer[scan];
            if (inString)
            {
                if (escaped)
                {
                    escaped = false;
                }
                else if (b == (byte)'\\')
                {
                    escaped = true;
                }
                else if (b == (byte)'"')
                {
                    inString = false;
                }

                continue;
            }

            switch (b)
            {
                case (byte)'"' when depth > 0:
                    inString = true;
                    break;
                case (byte)'{' or (byte)'[':
                    if (depth == 0)
                    {
                        start = scan;
                    }

                    depth++;
                    break;
                case (byte)'}' or (byte)']' when depth > 0:
                    depth--;
                    if (depth == 0)
                    {
                        scan++;
                        frame = Take(scan);
                        return true;
                    }

                    break;
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' when depth == 0:
                    start = scan + 1;
                    break;
                default:
                    if (depth == 0)
                    {
                        throw new OvsdbProtocolException($"byte 0x{b:x2} ('{(char)b}') where a JSON-RPC message should start");
                    }

                    break;
            }

            if (scan - start > maxMessageBytes)
            {
                throw new OvsdbProtocolException($"a message exceeds {maxMessageBytes} bytes");
            }
        }

        if (depth == 0)
        {
            start = scan;
        }

        frame = default;
        return false;
    }

    private JsonFrame Take(int messageEnd)
    {
        var length = messageEnd - start;
        JsonFrame frame;
        if (length >= HandOverThreshold)
        {
            frame = new JsonFrame(buffer, start, length);
            var rest = end - messageEnd;
            var next = new byte[Math.Max(InitialSize, rest * 2)];
            Buffer.BlockCopy(buffer, messageEnd, next, 0, rest);
            buffer = next;
            end = rest;
            scan = 0;
            start = 0;
        }
        else
        {
            frame = new JsonFrame(buffer.AsSpan(start, length).ToArray(), 0, length);
            start = messageEnd;
        }

        return frame;
    }
}
