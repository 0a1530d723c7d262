namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Whether the API server serves <typeparamref name="TEntity"/>'s resource, that is whether its CRD
/// is installed. Unknown until first reported; the features that need the resource wait for it
/// instead of failing on every request.
/// </summary>
public sealed class CustomResourceAvailability<TEntity>
{
    private readonly Lock gate = new();
    private TaskCompletionSource served = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource missing = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool? state;

    public bool IsServed
    {
        get
        {
            lock (gate)
            {
                return state == true;
            }
        }
    }

    /// <summary>Records what a request found; true when that changes what was known.</summary>
    public bool Report(bool isServed)
    {
        lock (gate)
        {
            if (state == isServed)
            {
                return false;
            }

            state = isServed;
            var (completed, reset) = isServed ? (served, missing) : (missing, served);
            completed.TrySetResult();
            if (reset.Task.IsCompleted)
            {
                var fresh = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                (served, missing) = isServed ? (served, fresh) : (fresh, missing);
            }

            return true;
        }
    }

    public Task WhenServedAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return state == true ? Task.CompletedTask : served.Task.WaitAsync(cancellationToken);
        }
    }

    public Task WhenMissingAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return state == false ? Task.CompletedTask : missing.Task.WaitAsync(cancellationToken);
        }
    }
}
