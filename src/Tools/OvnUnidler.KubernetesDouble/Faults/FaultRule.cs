namespace OvnUnidler.KubernetesDouble.Faults;

// A fault the double injects before it handles a matching request. Match: each non-null
// property must equal the request's (Verb as in the journal: get, list, watch, create, update,
// patch, delete, deletecollection; Subresource "" matches only requests without one).
// Effect: answer StatusCode with an API server-like Status (429 and 503 carry Retry-After),
// optionally after Delay; or, with Delay and no StatusCode, answer normally but late (or as soon
// as the rule is removed); or Hang:
// hold the request without answering until the client gives up, the rule is removed, Delay
// passes (if set) or the double stops, then answer 504 if anyone still listens.
// Lifetime: Times requests (null: unlimited), until Until (the double's clock), or until removed.
public sealed class FaultRule
{
    private readonly CancellationTokenSource released = new();
    private int hits;
    private volatile bool removed;

    public string? Verb { get; init; }

    public string? Group { get; init; }

    public string? Resource { get; init; }

    public string? Subresource { get; init; }

    public string? Namespace { get; init; }

    public string? Name { get; init; }

    public int? StatusCode { get; init; }

    // Sent as the Retry-After header (whole seconds, rounded up); a 429 without it says 1.
    public TimeSpan? RetryAfter { get; init; }

    public string? Message { get; init; }

    public TimeSpan Delay { get; init; }

    public bool Hang { get; init; }

    public int? Times { get; init; }

    public DateTimeOffset? Until { get; init; }

    // Requests this rule has affected so far.
    public int Hits => Volatile.Read(ref hits);

    public bool IsRemoved => removed;

    internal CancellationToken Released => released.Token;

    internal bool Matches(string verb, string group, string resource, string? subresource, string? @namespace, string? name) =>
        (Verb is null || Verb == verb)
        && (Group is null || Group == group)
        && (Resource is null || Resource == resource)
        && (Subresource is null || Subresource == (subresource ?? ""))
        && (Namespace is null || Namespace == @namespace)
        && (Name is null || Name == name);

    // Claims one use of the rule; false once it is used up, expired or removed.
    internal bool TryConsume(DateTimeOffset now)
    {
        if (removed || (Until is { } until && now >= until))
        {
            return false;
        }

        while (true)
        {
            var seen = Volatile.Read(ref hits);
            if (Times is { } times && seen >= times)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref hits, seen + 1, seen) == seen)
            {
                return true;
            }
        }
    }

    internal bool IsSpent(DateTimeOffset now) => removed || (Until is { } until && now >= until) || (Times is { } times && Hits >= times);

    internal void Release()
    {
        removed = true;
        released.Cancel();
    }

    internal void Validate()
    {
        if (StatusCode is null && !Hang && Delay <= TimeSpan.Zero)
        {
            throw new ArgumentException("A fault rule needs a StatusCode, a Delay or Hang.");
        }

        if (StatusCode is { } code && code is < 400 or > 599)
        {
            throw new ArgumentException($"A fault's StatusCode must be an error status (400-599), not {code}.");
        }

        if (Times is <= 0)
        {
            throw new ArgumentException("A fault's Times must be positive.");
        }
    }
}
