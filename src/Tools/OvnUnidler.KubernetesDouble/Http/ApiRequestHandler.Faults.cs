using Microsoft.AspNetCore.Http;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Faults;

namespace OvnUnidler.KubernetesDouble.Http;

internal sealed partial class ApiRequestHandler
{
    private const int HungStatus = 504;

    // Returns the status code the fault answered with, or null when the request should now be
    // handled normally (a pure delay).
    private async Task<int?> ApplyFaultAsync(HttpContext context, FaultRule fault)
    {
        if (fault.Hang)
        {
            using var held = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, fault.Released, stopping);
            try
            {
                await Task.Delay(fault.Delay > TimeSpan.Zero ? fault.Delay : Timeout.InfiniteTimeSpan, time, held.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Released: the client gave up, the rule was removed, or the double is stopping.
            }

            if (!context.RequestAborted.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                await WriteAsync(context.Response, ApiError.ForStatusCode(HungStatus, null, null)).ConfigureAwait(false);
            }

            return HungStatus;
        }

        if (fault.Delay > TimeSpan.Zero)
        {
            // Removing the rule ends the delay early, and the request is then handled normally:
            // a test can hold one request at an exact point and let it go when it chooses.
            using var delayed = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping, fault.Released);
            try
            {
                await Task.Delay(fault.Delay, time, delayed.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (fault.Released.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
            }
        }

        if (fault.StatusCode is not { } code)
        {
            return null;
        }

        var retryAfter = fault.RetryAfter is { } after ? (int)Math.Ceiling(after.TotalSeconds) : (int?)null;
        await WriteAsync(context.Response, ApiError.ForStatusCode(code, fault.Message, retryAfter)).ConfigureAwait(false);
        return code;
    }
}
