namespace OvnUnidler.Idling.Scaling;

// A recorded or found kind that this API server does not serve, or serves without a scale
// subresource: that target cannot be idled or woken here, the others can (ApiFailure: Rejected).
public sealed class KindNotScalableException : Exception
{
    public KindNotScalableException()
    {
    }

    public KindNotScalableException(string message)
        : base(message)
    {
    }

    public KindNotScalableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
