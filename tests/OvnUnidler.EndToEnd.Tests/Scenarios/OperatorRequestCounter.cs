using System.Collections.Concurrent;

namespace OvnUnidler.EndToEnd.Tests.Scenarios;

/// <summary>
/// Records every request the operator sends and its status, on the client side, so that a real
/// API server (k3s) can be asked the same questions as the double's journal ("how many scale writes?").
/// </summary>
public sealed class OperatorRequestCounter : DelegatingHandler
{
    private readonly ConcurrentQueue<(HttpMethod Method, string Path, int Status)> requests = new();

    public int Count(HttpMethod method, string pathSuffix, int status = 200) =>
        requests.Count(request => request.Method == method && request.Status == status
            && request.Path.EndsWith(pathSuffix, StringComparison.Ordinal));

    public IReadOnlyList<string> Refused() =>
        [.. requests.Where(request => request.Status == 403).Select(request => $"{request.Method} {request.Path}")];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        requests.Enqueue((request.Method, request.RequestUri?.AbsolutePath ?? string.Empty, (int)response.StatusCode));
        return response;
    }
}
