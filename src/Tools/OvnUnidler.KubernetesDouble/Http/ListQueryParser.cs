using System.Globalization;
using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Selection;

namespace OvnUnidler.KubernetesDouble.Http;

// The query string of a list or watch, with the API server's 400s for what cannot be parsed.
internal static class ListQueryParser
{
    public static (ListQuery? Query, ApiError? Error) Parse(IQueryCollection query)
    {
        if (!LabelSelector.TryParse(query["labelSelector"], out var labels, out var labelError))
        {
            return (null, ApiError.BadRequest(labelError));
        }

        if (!FieldSelector.TryParse(query["fieldSelector"], out var fields, out var fieldError))
        {
            return (null, ApiError.BadRequest(fieldError));
        }

        int? limit = null;
        if (!string.IsNullOrEmpty(query["limit"]))
        {
            if (!int.TryParse(query["limit"], CultureInfo.InvariantCulture, out var parsedLimit) || parsedLimit < 0)
            {
                return (null, ApiError.BadRequest($"invalid limit: {query["limit"]}"));
            }

            limit = parsedLimit;
        }

        TimeSpan? timeout = null;
        if (!string.IsNullOrEmpty(query["timeoutSeconds"]))
        {
            if (!int.TryParse(query["timeoutSeconds"], CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
            {
                return (null, ApiError.BadRequest($"invalid timeoutSeconds: {query["timeoutSeconds"]}"));
            }

            timeout = seconds == 0 ? null : TimeSpan.FromSeconds(seconds);
        }

        return (new ListQuery
        {
            LabelSelector = labels,
            FieldSelector = fields,
            ResourceVersion = query["resourceVersion"],
            ResourceVersionMatch = query["resourceVersionMatch"],
            Limit = limit,
            Continue = query["continue"],
            AllowWatchBookmarks = IsTrue(query["allowWatchBookmarks"]),
            SendInitialEvents = IsTrue(query["sendInitialEvents"]),
            Timeout = timeout,
        }, null);
    }

    // Go's strconv.ParseBool, which the API server uses for boolean query parameters.
    public static bool IsTrue(string? value) => value is "1" or "t" or "T" or "true" or "TRUE" or "True";
}
