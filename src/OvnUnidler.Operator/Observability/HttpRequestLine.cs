using System.Text;

namespace OvnUnidler.Operator.Observability;

/// <summary>The request line of an HTTP/1.x request (RFC 9112 section 3): method, path without the query, version.</summary>
public sealed record HttpRequestLine(string Method, string Path)
{
    /// <summary>Longest request head (request line and header fields) the endpoint reads.</summary>
    public const int MaxHeadBytes = 8 * 1024;

    /// <summary>The offset just past the blank line that ends a request head, or -1 while it is incomplete.</summary>
    public static int EndOfHead(ReadOnlySpan<byte> received)
    {
        var end = received.IndexOf("\r\n\r\n"u8);
        return end < 0 ? -1 : end + 4;
    }

    /// <summary>Null for anything that is not "METHOD SP origin-form SP HTTP/1.x".</summary>
    public static HttpRequestLine? Parse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var line = lineEnd < 0 ? head : head[..lineEnd];
        var firstSpace = line.IndexOf((byte)' ');
        if (firstSpace <= 0)
        {
            return null;
        }

        var method = line[..firstSpace];
        var rest = line[(firstSpace + 1)..];
        var secondSpace = rest.IndexOf((byte)' ');
        if (secondSpace <= 0)
        {
            return null;
        }

        var target = rest[..secondSpace];
        var version = rest[(secondSpace + 1)..];
        if (!IsToken(method) || target[0] != (byte)'/' || !version.StartsWith("HTTP/1."u8) || version.Length != 8
            || target.ContainsAnyExceptInRange((byte)'!', (byte)'~'))
        {
            return null;
        }

        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        return new HttpRequestLine(Encoding.ASCII.GetString(method), Encoding.ASCII.GetString(path));
    }

    private static bool IsToken(ReadOnlySpan<byte> value) => !value.ContainsAnyExceptInRange((byte)'A', (byte)'Z');
}
