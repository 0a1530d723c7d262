namespace OvnUnidler.KubernetesDouble.Journal;

// Every request the double handled, in the order they completed (a watch when its stream
// started, a hung request when it was released). Thread-safe. In the filters a null argument
// matches anything; subresource: "" matches only requests without a subresource.
public sealed class RequestJournal
{
    private readonly Lock gate = new();
    private readonly List<RecordedRequest> entries = [];
    private readonly List<Action> listeners = [];

    public int TotalCount
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (gate)
        {
            return entries.ToList();
        }
    }

    public IReadOnlyList<RecordedRequest> Where(Func<RecordedRequest, bool> predicate)
    {
        lock (gate)
        {
            return entries.Where(predicate).ToList();
        }
    }

    public IReadOnlyList<RecordedRequest> Filter(
        string? verb = null, string? resource = null, string? subresource = null, string? @namespace = null,
        string? name = null, string? group = null, int? statusCode = null) =>
        Where(Matcher(verb, resource, subresource, @namespace, name, group, statusCode));

    public int Count(
        string? verb = null, string? resource = null, string? subresource = null, string? @namespace = null,
        string? name = null, string? group = null, int? statusCode = null) =>
        Filter(verb, resource, subresource, @namespace, name, group, statusCode).Count;

    public void Clear()
    {
        lock (gate)
        {
            entries.Clear();
        }
    }

    // The first request (already recorded or still to come) that satisfies the predicate.
    public async Task<RecordedRequest> WaitForAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        RecordedRequest? found = null;
        await WaitUntilAsync(
            journal =>
            {
                found = journal.Where(predicate).FirstOrDefault();
                return found is not null;
            },
            timeout,
            cancellationToken).ConfigureAwait(false);
        return found!;
    }

    // Waits until the condition over the whole journal holds; it is checked now and after every
    // new request. Throws TimeoutException when the timeout passes first.
    public async Task WaitUntilAsync(Func<RequestJournal, bool> condition, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(this))
            {
                signal.TrySetResult();
            }
        }

        lock (gate)
        {
            listeners.Add(Check);
        }

        try
        {
            Check();
            await signal.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"The condition on the request journal did not hold within {timeout} ({TotalCount} requests recorded).");
        }
        finally
        {
            lock (gate)
            {
                listeners.Remove(Check);
            }
        }
    }

    internal void Add(RecordedRequest request)
    {
        Action[] toNotify;
        lock (gate)
        {
            entries.Add(request);
            toNotify = listeners.ToArray();
        }

        foreach (var listener in toNotify)
        {
            listener();
        }
    }

    private static Func<RecordedRequest, bool> Matcher(
        string? verb, string? resource, string? subresource, string? @namespace, string? name, string? group, int? statusCode) =>
        request => (verb is null || request.Verb == verb)
            && (resource is null || request.Resource == resource)
            && (subresource is null || (request.Subresource ?? "") == subresource)
            && (@namespace is null || request.Namespace == @namespace)
            && (name is null || request.Name == name)
            && (group is null || request.Group == group)
            && (statusCode is null || request.StatusCode == statusCode);
}
