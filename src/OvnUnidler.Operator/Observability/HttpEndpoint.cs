using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Operator.Observability;

/// <summary>
/// /metrics (Prometheus text format), /healthz (the process serves) and /readyz (views synced and
/// databases connected), served over a plain socket: one GET or HEAD per connection, then close.
/// System.Net.HttpListener is not used because on Linux its Start fails when the first accept
/// completes at once (a probe already connecting) and leaves the port bound; Kestrel would add
/// the ASP.NET Core framework to the image for three routes.
/// </summary>
public sealed partial class HttpEndpoint(
    UnidlerMetrics metrics,
    ReadinessSignals readiness,
    IOptions<HttpEndpointOptions> options,
    ILogger<HttpEndpoint> logger) : BackgroundService
{
    // Linux's SOL_SOCKET and SO_REUSEADDR. .NET's ReuseAddress option also sets SO_REUSEPORT on
    // Linux, which would let a second process bind the same port; SO_REUSEADDR alone only lets a
    // restarted operator bind while connections it closed are still in TIME_WAIT.
    private const int SolSocket = 1;
    private const int SoReuseAddress = 2;

    private int connections;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        if (settings.Port == 0)
        {
            return;
        }

        using var listener = Listen(settings);
        LogListening(logger, listener.LocalEndPoint);
        while (!stoppingToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException exception)
            {
                // A connection reset before it was accepted concerns that client only.
                LogAcceptFailed(logger, exception);
                continue;
            }

            if (Interlocked.Increment(ref connections) > settings.MaxConnections)
            {
                Interlocked.Decrement(ref connections);
                LogTooManyConnections(logger, connection.RemoteEndPoint, settings.MaxConnections);
                connection.Dispose();
                continue;
            }

            _ = ServeConnectionAsync(connection, settings.RequestTimeout, stoppingToken);
        }
    }

    private static Socket Listen(HttpEndpointOptions settings)
    {
        var address = settings.ListenAddress()
            ?? throw new InvalidOperationException($"Http:Host '{settings.Host}' is not \"+\", \"*\", \"localhost\" or an IP address");
        var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            if (OperatingSystem.IsLinux())
            {
                socket.SetRawSocketOption(SolSocket, SoReuseAddress, BitConverter.GetBytes(1));
            }

            socket.Bind(new IPEndPoint(address, settings.Port));
            socket.Listen(128);
            return socket;
        }
        catch (SocketException exception)
        {
            socket.Dispose();
            throw new InvalidOperationException(
                $"Http: cannot listen on {settings.Host} port {settings.Port} (Http:Host, Http:Port): {exception.Message}", exception);
        }
    }

    private async Task ServeConnectionAsync(Socket connection, TimeSpan requestTimeout, CancellationToken stoppingToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        deadline.CancelAfter(requestTimeout);
        HttpRequestLine? request = null;
        try
        {
            using var stream = new NetworkStream(connection, ownsSocket: true);
            var (head, complete) = await ReadHeadAsync(stream, deadline.Token).ConfigureAwait(false);
            if (head.Length == 0)
            {
                return;
            }

            request = complete ? HttpRequestLine.Parse(head) : null;
            var response = !complete ? HttpEndpointResponse.Text(HttpStatusCode.RequestHeaderFieldsTooLarge, "request head too large")
                : request is null ? HttpEndpointResponse.Text(HttpStatusCode.BadRequest, "not an HTTP/1.x request")
                : request.Method is not ("GET" or "HEAD") ? HttpEndpointResponse.Text(HttpStatusCode.MethodNotAllowed, "only GET and HEAD")
                : await AnswerAsync(request.Path, deadline.Token).ConfigureAwait(false);
            await stream.WriteAsync(response.Head(), deadline.Token).ConfigureAwait(false);
            if (request?.Method != "HEAD")
            {
                await stream.WriteAsync(response.Body, deadline.Token).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogFailed(logger, exception, request?.Path);
        }
        finally
        {
            Interlocked.Decrement(ref connections);
        }
    }

    /// <summary>The bytes up to and including the blank line, and whether that line arrived within the size limit.</summary>
    private static async Task<(byte[] Head, bool Complete)> ReadHeadAsync(NetworkStream stream, CancellationToken cancellationToken)
    {
        var buffer = new byte[HttpRequestLine.MaxHeadBytes];
        var received = 0;
        while (received < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(received), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return ([], false);
            }

            received += read;
            var end = HttpRequestLine.EndOfHead(buffer.AsSpan(0, received));
            if (end >= 0)
            {
                return (buffer[..end], true);
            }
        }

        return (buffer, false);
    }

    private async Task<HttpEndpointResponse> AnswerAsync(string path, CancellationToken cancellationToken)
    {
        switch (path)
        {
            case "/metrics":
                using (var body = new MemoryStream())
                {
                    await metrics.Registry.CollectAndExportAsTextAsync(body, cancellationToken).ConfigureAwait(false);
                    return new HttpEndpointResponse(HttpStatusCode.OK, "text/plain; version=0.0.4; charset=utf-8", body.ToArray());
                }

            case "/healthz":
                return HttpEndpointResponse.Text(HttpStatusCode.OK, "ok");
            case "/readyz":
                var states = readiness.Snapshot();
                var text = string.Join('\n', states.Select(state => $"{state.Key}: {(state.Value ? "ready" : "not ready")}"));
                return HttpEndpointResponse.Text(readiness.IsReady ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, text);
            default:
                return HttpEndpointResponse.Text(HttpStatusCode.NotFound, "not found");
        }
    }

    [LoggerMessage(EventId = EventIds.HttpEndpointListening, EventName = nameof(EventIds.HttpEndpointListening), Level = LogLevel.Information, Message = "Serving /metrics, /healthz and /readyz on {EndPoint}")]
    private static partial void LogListening(ILogger logger, EndPoint? endPoint);

    [LoggerMessage(EventId = EventIds.HttpEndpointAcceptFailed, EventName = nameof(EventIds.HttpEndpointAcceptFailed), Level = LogLevel.Debug, Message = "Accepting an HTTP connection failed")]
    private static partial void LogAcceptFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = EventIds.HttpEndpointBusy, EventName = nameof(EventIds.HttpEndpointBusy), Level = LogLevel.Warning,
        Message = "Closed the HTTP connection from {RemoteEndPoint} unanswered: {MaxConnections} connections are being served (Http:MaxConnections)")]
    private static partial void LogTooManyConnections(ILogger logger, EndPoint? remoteEndPoint, int maxConnections);

    [LoggerMessage(EventId = EventIds.HttpEndpointFailed, EventName = nameof(EventIds.HttpEndpointFailed), Level = LogLevel.Debug, Message = "Serving {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? path);
}
