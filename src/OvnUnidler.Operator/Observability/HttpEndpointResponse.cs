using System.Globalization;
using System.Net;
using System.Text;

namespace OvnUnidler.Operator.Observability;

/// <summary>A complete answer of the endpoint; every connection carries one and is then closed.</summary>
public sealed record HttpEndpointResponse(HttpStatusCode Status, string ContentType, byte[] Body)
{
    public static HttpEndpointResponse Text(HttpStatusCode status, string body) =>
        new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(body + "\n"));

    /// <summary>Status line and header fields; HEAD answers carry the same Content-Length as GET but no body (RFC 9110 section 9.3.2).</summary>
    public byte[] Head() => Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $"HTTP/1.1 {(int)Status} {ReasonPhrase(Status)}\r\nContent-Type: {ContentType}\r\nContent-Length: {Body.Length}\r\n{(Status == HttpStatusCode.MethodNotAllowed ? "Allow: GET, HEAD\r\n" : "")}Connection: close\r\n\r\n"));

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.BadRequest => "Bad Request",
        HttpStatusCode.NotFound => "Not Found",
        HttpStatusCode.MethodNotAllowed => "Method Not Allowed",
        HttpStatusCode.RequestHeaderFieldsTooLarge => "Request Header Fields Too Large",
        HttpStatusCode.ServiceUnavailable => "Service Unavailable",
        _ => status.ToString(),
    };
}
