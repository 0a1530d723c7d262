using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Operator.Observability;

/// <summary>
/// /metrics (Prometheus text format), /healthz (the process serves) and /readyz (views synced and
/// databases connected). A plain HttpListener: the operator needs no web framework for three routes.
/// </summary>
public sealed partial class HttpEndpoint(
    UnidlerMetrics metrics,
    ReadinessSignals readiness,
    IOptions<HttpEndpointOptions> options,
    ILogger<HttpEndpoint> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Port == 0)
        {
            return;
        }

        using var listener = await StartListenerAsync(stoppingToken).ConfigureAwait(false);
        await using var registration = stoppingToken.Register(listener.Stop).ConfigureAwait(false);
        while (!stoppingToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            _ = ServeAsync(context, stoppingToken);
        }
    }

    private async Task ServeAsync(HttpListenerContext context, CancellationToken cancellationToken)
    {
        var response = context.Response;
        try
        {
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/metrics":
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await metrics.Registry.CollectAndExportAsTextAsync(response.OutputStream, cancellationToken).ConfigureAwait(false);
                    break;
                case "/healthz":
                    await WriteAsync(response, HttpStatusCode.OK, "ok", cancellationToken).ConfigureAwait(false);
                    break;
                case "/readyz":
                    var states = readiness.Snapshot();
                    var body = string.Join('\n', states.Select(state => $"{state.Key}: {(state.Value ? "ready" : "not ready")}"));
                    await WriteAsync(response, readiness.IsReady ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, body, cancellationToken)
                        .ConfigureAwait(false);
                    break;
                default:
                    await WriteAsync(response, HttpStatusCode.NotFound, "not found", cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception exception) when (exception is HttpListenerException or IOException or ObjectDisposedException)
        {
            LogFailed(logger, exception, context.Request.Url?.AbsolutePath);
        }
        finally
        {
            response.Close();
        }
    }

    private static async Task WriteAsync(HttpListenerResponse response, HttpStatusCode status, string body, CancellationToken cancellationToken)
    {
        response.StatusCode = (int)status;
        response.ContentType = "text/plain; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(body + "\n");
        await response.OutputStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The managed HttpListener on Linux sometimes fails inside Start when its first accept
    /// completes at once (ArgumentNullException from HttpEndPointListener.ProcessAccept, seen in the
    /// operator-kill test, which starts the process 21 times); a new listener then starts normally. Anything else, such
    /// as the port being taken, fails at once.
    /// </summary>
    private async Task<HttpListener> StartListenerAsync(CancellationToken stoppingToken)
    {
        const int Attempts = 5;
        for (var attempt = 1; ; attempt++)
        {
            var listener = new HttpListener();
            listener.Prefixes.Add(string.Create(CultureInfo.InvariantCulture, $"http://{options.Value.Host}:{options.Value.Port}/"));
            try
            {
                listener.Start();
                return listener;
            }
            catch (ArgumentNullException exception) when (attempt < Attempts)
            {
                ((IDisposable)listener).Dispose();
                LogStartRetried(logger, exception, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt), stoppingToken).ConfigureAwait(false);
            }
            catch
            {
                ((IDisposable)listener).Dispose();
                throw;
            }
        }
    }

    [LoggerMessage(EventId = EventIds.HttpEndpointStartRetried, Level = LogLevel.Warning,
        Message = "The HTTP listener failed to start (attempt {Attempt}); starting a new one")]
    private static partial void LogStartRetried(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(EventId = EventIds.HttpEndpointFailed, Level = LogLevel.Debug, Message = "Serving {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string? path);
}
