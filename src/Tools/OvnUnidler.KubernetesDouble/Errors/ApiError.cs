using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Errors;

// A failure answered as a metav1.Status (API conventions, "Response Status Kind"): kind Status,
// status Failure, a machine-readable reason, the HTTP code, and details naming the object.
internal sealed record ApiError(int Code, string Reason, string Message)
{
    public const string ModifiedDetail = "the object has been modified; please apply your changes to the latest version and try again";

    public string? Name { get; init; }

    public string? Group { get; init; }

    public string? Kind { get; init; }

    public IReadOnlyList<FieldError> Causes { get; init; } = [];

    public int? RetryAfterSeconds { get; init; }

    // Status.metadata is a ListMeta: a 410 for an expired continue token carries the token that
    // continues the list from the current state.
    public string? Continue { get; init; }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.GroupResource} \"{name}\" not found") { Name = name, Group = type.Group, Kind = type.Plural };

    public static ApiError UnknownResource() => new(404, "NotFound", "the server could not find the requested resource");

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.GroupResource} \"{name}\" already exists") { Name = name, Group = type.Group, Kind = type.Plural };

    public static ApiError Conflict(ResourceType type, string name, string detail = ModifiedDetail) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": {detail}")
        {
            Name = name, Group = type.Group, Kind = type.Plural,
        };

    public static ApiError Invalid(string groupKind, string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var rendered = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors) + "]";
        return new ApiError(422, "Invalid", $"{groupKind} \"{name}\" is invalid: {rendered}")
        {
            Name = name, Group = group, Kind = kind, Causes = errors,
        };
    }

    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors) =>
        Invalid(type.GroupKind, type.Group, type.Kind, name, errors);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError MethodNotAllowed() =>
        new(405, "MethodNotAllowed", "the server does not allow this method on the requested resource");

    public static ApiError UnsupportedMediaType(string message) => new(415, "UnsupportedMediaType", message);

    public static ApiError UnprocessableEntity(string message) => new(422, "Invalid", message);

    public static ApiError Expired(string message) => new(410, "Expired", message);

    public static ApiError Internal(string message) => new(500, "InternalError", $"Internal error occurred: {message}")
    {
        Causes = [new FieldError("", "", message)],
    };

    public static ApiError TooLargeResourceVersion(long requested, long current) =>
        new(504, "Timeout", $"Too large resource version: {requested}, current: {current}") { RetryAfterSeconds = 1 };

    // The Status a fault answers with, shaped like the API server's own for that code.
    public static ApiError ForStatusCode(int code, string? message, int? retryAfterSeconds) => code switch
    {
        400 => BadRequest(message ?? "the server rejected our request for an unknown reason"),
        401 => new(401, "Unauthorized", message ?? "Unauthorized"),
        403 => new(403, "Forbidden", message ?? "forbidden"),
        404 => new(404, "NotFound", message ?? "the server could not find the requested resource"),
        409 => new(409, "Conflict", message ?? $"Operation cannot be fulfilled: {ModifiedDetail}"),
        410 => Expired(message ?? "the resource version is too old"),
        422 => UnprocessableEntity(message ?? "the server rejected our request due to an error in our request"),
        429 => new(429, "TooManyRequests", message ?? "Too many requests, please try again later.") { RetryAfterSeconds = retryAfterSeconds ?? 1 },
        500 => Internal(message ?? "injected fault"),
        503 => new(503, "ServiceUnavailable", message ?? "the server is currently unable to handle the request") { RetryAfterSeconds = retryAfterSeconds },
        504 => new(504, "Timeout", message ?? "the server was unable to return a response in the time allotted, but may still be processing the request") { RetryAfterSeconds = retryAfterSeconds },
        _ => new(code, "", message ?? $"injected status {code}") { RetryAfterSeconds = retryAfterSeconds },
    };

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = Continue is null ? new JsonObject() : new JsonObject { ["continue"] = Continue },
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        var details = new JsonObject();
        if (Name is not null)
        {
            details["name"] = Name;
        }

        if (!string.IsNullOrEmpty(Group))
        {
            details["group"] = Group;
        }

        if (Kind is not null)
        {
            details["kind"] = Kind;
        }

        if (Causes.Count > 0)
        {
            var causes = new JsonArray();
            foreach (var cause in Causes)
            {
                var item = new JsonObject();
                if (cause.Reason.Length > 0)
                {
                    item["reason"] = cause.Reason;
                    item["message"] = cause.Message;
                    item["field"] = cause.Field;
                }
                else
                {
                    item["message"] = cause.Detail;
                }

                causes.Add(item);
            }

            details["causes"] = causes;
        }

        if (RetryAfterSeconds is { } retry)
        {
            details["retryAfterSeconds"] = retry;
        }

        if (details.Count > 0)
        {
            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }

    public string? RetryAfterHeader => RetryAfterSeconds?.ToString(CultureInfo.InvariantCulture);
}
