using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Tables;

namespace OvnUnidler.KubernetesDouble.Http;

internal sealed partial class ApiRequestHandler
{
    private static TableRequest? TableRequestOf(HttpRequest request) =>
        TableRequest.From(request.Headers.Accept.ToString(), request.Query["includeObject"]);

    // A get or list that asked for application/json;as=Table answers with the kind's Table.
    private async Task<bool> TryWriteTableAsync(HttpContext context, string verb, ApiTarget target, ApiResult result)
    {
        if (!result.IsSuccess || verb is not ("get" or "list") || target.Subresource is not null || TableRequestOf(context.Request) is not { } request)
        {
            return false;
        }

        var table = TableWriter.FromResponse(target.Type!, result.Body, request, time.GetUtcNow());
        if (table is null)
        {
            return false;
        }

        context.Response.StatusCode = result.StatusCode;
        context.Response.ContentType = request.ContentType;
        await context.Response.Body.WriteAsync(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(table)).ConfigureAwait(false);
        return true;
    }
}
