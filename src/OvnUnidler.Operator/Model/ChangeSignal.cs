namespace OvnUnidler.Operator.Model;

/// <summary>Lets readers wait for the next change of a cache instead of polling it.</summary>
public sealed class ChangeSignal
{
    private readonly Lock gate = new();
    private TaskCompletionSource next = New();

    /// <summary>Take the task before checking the condition, then await it: no change can slip between.</summary>
    public Task NextChange
    {
        get
        {
            lock (gate)
            {
                return next.Task;
            }
        }
    }

    public void Raise()
    {
        TaskCompletionSource previous;
        lock (gate)
        {
            previous = next;
            next = New();
        }

        previous.TrySetResult();
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
