using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using k8s.Autorest;

namespace OvnUnidler.Idling.Api;

public sealed record ApiFailure(ApiFailureKind Kind, string Reason, int? StatusCode = null, TimeSpan? RetryAfter = null)
{
    public bool IsTransient => Kind == ApiFailureKind.Transient;

    // Classifies what a KubernetesClient call threw; null for anything that is not a failure of
    // the call itself (a bug), which the caller lets through.
    public static ApiFailure? From(Exception exception) => exception switch
    {
        HttpOperationException http => FromStatus(http),
        // Not served, or served without /scale: asking again does not change that until someone
        // installs the API, so it is a refusal of this target, like a 403.
        Scaling.KindNotScalableException notScalable => new(ApiFailureKind.Rejected, notScalable.Message),
        HttpRequestException request => new(ApiFailureKind.Transient, $"the API server could not be reached ({request.Message})"),
        TimeoutException or OperationCanceledException => new(ApiFailureKind.Transient, "the API server did not answer in time"),
        IOException io => new(ApiFailureKind.Transient, $"the connection to the API server broke ({io.Message})"),
        // HttpClient lets a few socket errors through unwrapped: one seen is "Transport endpoint is
        // not connected" from reading the address of a connection the peer reset while it was made.
        SocketException socket => new(ApiFailureKind.Transient, $"the connection to the API server broke ({socket.Message})"),
        JsonException json => new(ApiFailureKind.Transient, $"the API server's answer could not be read ({json.Message})"),
        _ => null,
    };

    private static ApiFailure FromStatus(HttpOperationException exception)
    {
        var status = exception.Response?.StatusCode ?? 0;
        var code = (int)status;
        var reason = $"{code} {status} from the API server{Detail(exception)}";
        return status switch
        {
            HttpStatusCode.NotFound => new(ApiFailureKind.NotFound, reason, code),
            HttpStatusCode.Conflict => new(ApiFailureKind.Conflict, reason, code),
            HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout => new(ApiFailureKind.Transient, reason, code, RetryAfterOf(exception)),
            >= HttpStatusCode.InternalServerError => new(ApiFailureKind.Transient, reason, code, RetryAfterOf(exception)),
            _ => new(ApiFailureKind.Rejected, reason, code),
        };
    }

    // Retry-After in delta-seconds only. The HTTP-date form would mean comparing the API
    // server's clock with ours, which nothing here ever does.
    private static TimeSpan? RetryAfterOf(HttpOperationException exception)
    {
        var headers = exception.Response?.Headers;
        if (headers is null)
        {
            return null;
        }

        foreach (var (name, values) in headers)
        {
            if (string.Equals(name, "Retry-After", StringComparison.OrdinalIgnoreCase)
                && values.FirstOrDefault() is { } value
                && int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }
        }

        return null;
    }

    // The Status message the API server sends with every error, when there is one.
    private static string Detail(HttpOperationException exception)
    {
        var content = exception.Response?.Content;
        if (string.IsNullOrWhiteSpace(content))
        {
            return "";
        }

        try
        {
            using var status = JsonDocument.Parse(content);
            return status.RootElement.ValueKind == JsonValueKind.Object
                && status.RootElement.TryGetProperty("message", out var message)
                && message.ValueKind == JsonValueKind.String
                ? $": {message.GetString()}"
                : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
