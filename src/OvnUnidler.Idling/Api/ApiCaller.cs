namespace OvnUnidler.Idling.Api;

// Runs one API call with its own deadline and turns its failures into ApiFailure values, so the
// waking and idling logic decides with results instead of catching exceptions. Cancellation by
// the caller still throws, as everywhere in .NET.
public sealed class ApiCaller(IdlingOptions options, TimeProvider timeProvider)
{
    public async Task<ApiOutcome<T>> CallAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        using var deadline = new CancellationTokenSource(options.RequestTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return ApiOutcome<T>.Ok(await call(linked.Token).ConfigureAwait(false));
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested && ApiFailure.From(exception) is { } failure)
        {
            return ApiOutcome<T>.Failed(deadline.IsCancellationRequested
                ? new ApiFailure(ApiFailureKind.Transient, $"the API server did not answer within {options.RequestTimeout.TotalSeconds:0.#}s")
                : failure);
        }
    }

    public async Task<ApiOutcome<bool>> CallAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        await CallAsync(
            async token =>
            {
                await call(token).ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
}
