using System.Net.Sockets;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>
/// Fails the operator's first <paramref name="times"/> requests that <paramref name="matches"/> with a bare
/// <see cref="SocketException"/> (107, "Transport endpoint is not connected"), as HttpClient throws
/// it, not wrapped in an HttpRequestException, when the peer resets a connection while it is made.
/// Seen from the operator process when its connections to the API server were reset.
/// </summary>
public sealed class UnwrappedSocketErrors(Func<HttpRequestMessage, bool> matches, int times) : DelegatingHandler
{
    private int failed;

    /// <summary>Matching requests so far, failed or let through.</summary>
    public int Matched => Volatile.Read(ref failed);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (matches(request) && Interlocked.Increment(ref failed) <= times)
        {
            throw new SocketException((int)SocketError.NotConnected);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
