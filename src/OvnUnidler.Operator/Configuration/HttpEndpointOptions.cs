namespace OvnUnidler.Operator.Configuration;

/// <summary>Bound from "Http": /metrics, /healthz and /readyz.</summary>
public sealed class HttpEndpointOptions
{
    public const string Section = "Http";

    /// <summary>0 disables the endpoint (tests, the demo).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>"+" listens on every address; "127.0.0.1" on loopback only.</summary>
    public string Host { get; set; } = "+";
}
