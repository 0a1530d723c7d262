namespace OvnUnidler.Idling.Api;

// The value of an API call, or how it failed.
public readonly record struct ApiOutcome<T>(T? Value, ApiFailure? Failure)
{
    public bool Succeeded => Failure is null;

    public static ApiOutcome<T> Ok(T value) => new(value, null);

    public static ApiOutcome<T> Failed(ApiFailure failure) => new(default, failure);
}
