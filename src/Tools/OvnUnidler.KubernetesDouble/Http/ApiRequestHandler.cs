using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Authorization;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.KubernetesDouble.Journal;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Watch;

namespace OvnUnidler.KubernetesDouble.Http;

// Every HTTP request: parse the path, authenticate and authorize it, let a fault answer first,
// then map the HTTP method to the Kubernetes verb and hand it to the registry (or stream a
// watch); each is recorded in the journal with who sent it and RBAC's decision.
internal sealed partial class ApiRequestHandler(
    ResourceRegistry registry,
    ApiPathParser parser,
    WatchStreamWriter watchWriter,
    WatchHub watches,
    FaultInjector faults,
    RequestJournal journal,
    TokenAuthenticator authenticator,
    RbacAuthorizer authorizer,
    TimeProvider time,
    bool recordBodies,
    CancellationToken stopping)
{
    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var arrived = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var target = parser.Parse(request.Path.Value ?? "/");
        var watch = target.LegacyWatch || (HttpMethods.IsGet(request.Method) && ListQueryParser.IsTrue(request.Query["watch"]));
        var verb = VerbOf(request.Method, target, watch);
        var body = HttpMethods.IsPost(request.Method) || HttpMethods.IsPut(request.Method) || HttpMethods.IsPatch(request.Method) || HttpMethods.IsDelete(request.Method)
            ? await ReadBodyAsync(request, context.RequestAborted).ConfigureAwait(false)
            : null;
        UserInfo? user = null;
        RequestAttributes? attributes = null;
        AuthorizationDecision? decision = null;

        RecordedRequest Record(int statusCode, FaultRule? fault) => new()
        {
            Verb = verb,
            Group = target.Group,
            Version = target.Version,
            Resource = target.Resource,
            Subresource = target.Subresource,
            Namespace = target.Namespace,
            Name = target.Name,
            StatusCode = statusCode,
            Time = arrived,
            Method = request.Method,
            Path = request.Path.Value ?? "",
            Query = request.QueryString.HasValue ? request.QueryString.Value : null,
            ContentType = request.ContentType,
            Body = recordBodies && !string.IsNullOrEmpty(body) ? body : null,
            Duration = Stopwatch.GetElapsedTime(started),
            Fault = fault,
            UserAgent = request.Headers.UserAgent.ToString(),
            User = user,
            Attributes = attributes,
            Authorization = decision,
        };

        try
        {
            (user, attributes, decision) = Authenticate(request);
            if (Refusal(user, attributes, decision) is { } refused)
            {
                await WriteAsync(context.Response, refused).ConfigureAwait(false);
                journal.Add(Record(refused.Code, null));
                return;
            }

            if (target.Kind == ApiTargetKind.Discovery)
            {
                await WriteDiscoveryAsync(context.Response, target.Document!).ConfigureAwait(false);
                journal.Add(Record(200, null));
                return;
            }

            var fault = faults.Match(verb, target.Group, target.Resource, target.Subresource, target.Namespace, target.Name);
            if (fault is not null && await ApplyFaultAsync(context, fault).ConfigureAwait(false) is { } faultStatus)
            {
                journal.Add(Record(faultStatus, fault));
                return;
            }

            if (target.Kind == ApiTargetKind.Unknown)
            {
                await WriteAsync(context.Response, ApiError.UnknownResource()).ConfigureAwait(false);
                journal.Add(Record(404, fault));
                return;
            }

            if (verb == "watch")
            {
                await WatchAsync(context, target, status => journal.Add(Record(status, fault))).ConfigureAwait(false);
                return;
            }

            var result = Dispatch(verb, target, request, body);
            if (!await TryWriteTableAsync(context, verb, target, result).ConfigureAwait(false))
            {
                await WriteAsync(context.Response, result).ConfigureAwait(false);
            }

            journal.Add(Record(result.StatusCode, fault));
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
            // The client left or the double is stopping; there is no one to answer.
        }
        catch (Exception exception) when (exception is not OperationCanceledException && !context.Response.HasStarted)
        {
            // As the API server turns a handler's panic into a 500 Status, so does the double:
            // the client sees the failure instead of a dropped connection.
            await WriteAsync(context.Response, ApiError.Internal(exception.Message)).ConfigureAwait(false);
            journal.Add(Record(500, null));
        }
    }

    private static string VerbOf(string method, ApiTarget target, bool watch) => method switch
    {
        _ when HttpMethods.IsGet(method) || HttpMethods.IsHead(method) => watch ? "watch" : target.IsCollection && target.Kind == ApiTargetKind.Resource ? "list" : "get",
        _ when HttpMethods.IsPost(method) => "create",
        _ when HttpMethods.IsPut(method) => "update",
        _ when HttpMethods.IsPatch(method) => "patch",
        _ when HttpMethods.IsDelete(method) => target.IsCollection ? "deletecollection" : "delete",
        _ => method.ToLowerInvariant(),
    };

    private ApiResult Dispatch(string verb, ApiTarget target, HttpRequest request, string? body)
    {
        var type = target.Type!;
        var @namespace = target.Namespace ?? "";
        var name = target.Name ?? "";
        if (verb is "create" or "update" or "patch" or "delete" or "deletecollection" && !string.IsNullOrEmpty(request.Query["dryRun"]))
        {
            return ApiError.BadRequest("dryRun is not supported by the Kubernetes API double");
        }

        if (type.Namespaced && target.Namespace is null && verb != "list")
        {
            // Across namespaces a namespaced resource can only be listed or watched.
            return ApiError.MethodNotAllowed();
        }

        switch (verb)
        {
            case "get":
                return target.Subresource == "scale" ? registry.GetScale(type, @namespace, name) : registry.Get(type, @namespace, name);
            case "list":
            case "deletecollection":
                var (query, queryError) = ListQueryParser.Parse(request.Query);
                if (queryError is not null)
                {
                    return queryError;
                }

                return verb == "list" ? registry.List(type, target.Namespace, query!) : registry.DeleteCollection(type, target.Namespace, query!);
            case "create" when target.IsCollection:
                return ParseObject(request, body, out var created) ?? registry.Create(type, @namespace, created!);
            case "update" when !target.IsCollection:
                if (ParseObject(request, body, out var replacement) is { } updateError)
                {
                    return updateError;
                }

                return target.Subresource == "scale"
                    ? registry.UpdateScale(type, @namespace, name, replacement!)
                    : registry.Update(type, @namespace, name, replacement!, statusOnly: target.Subresource == "status");
            case "patch" when !target.IsCollection:
                return registry.Patch(type, @namespace, name, target.Subresource, request.ContentType, body ?? "");
            case "delete" when target.Subresource is null:
                JsonObject? options = null;
                if (!string.IsNullOrWhiteSpace(body))
                {
                    try
                    {
                        options = JsonNode.Parse(body) as JsonObject;
                    }
                    catch (JsonException exception)
                    {
                        return ApiError.BadRequest($"invalid DeleteOptions: {exception.Message}");
                    }
                }

                return registry.Delete(type, @namespace, name, options);
            default:
                return ApiError.MethodNotAllowed();
        }
    }

    // create and update take JSON objects; YAML and protobuf are not served by the double.
    private static ApiResult? ParseObject(HttpRequest request, string? body, out JsonObject? obj)
    {
        obj = null;
        var mediaType = (request.ContentType ?? "application/json").Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not ("application/json" or "*/*" or ""))
        {
            return ApiError.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: application/json");
        }

        try
        {
            obj = JsonNode.Parse(body ?? "") as JsonObject;
        }
        catch (JsonException exception)
        {
            return ApiError.BadRequest($"the request body is not valid JSON: {exception.Message}");
        }

        return obj is null ? ApiResult.Failure(ApiError.BadRequest("the request body must be a JSON object")) : null;
    }

    private static async Task<string> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteAsync(HttpResponse response, ApiResult result)
    {
        response.StatusCode = result.StatusCode;
        response.ContentType = "application/json";
        if (result.Error?.RetryAfterHeader is { } retryAfter)
        {
            response.Headers.RetryAfter = retryAfter;
        }

        await response.Body.WriteAsync(result.Body).ConfigureAwait(false);
    }

    private static async Task WriteDiscoveryAsync(HttpResponse response, JsonNode document)
    {
        response.StatusCode = 200;
        if (document is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            response.ContentType = "text/plain; charset=utf-8";
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text.GetValue<string>())).ConfigureAwait(false);
            return;
        }

        response.ContentType = "application/json";
        await response.Body.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(document)).ConfigureAwait(false);
    }
}
