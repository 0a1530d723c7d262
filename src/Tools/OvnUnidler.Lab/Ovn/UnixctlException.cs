namespace OvnUnidler.Lab.Ovn;

/// <summary>A daemon answered a unixctl command with an error (what ovs-appctl prints and exits 2 for).</summary>
public sealed class UnixctlException(string method, string error)
    : Exception($"unixctl '{method}' failed: {error.Trim()}")
{
    public string Method { get; } = method;

    public string Error { get; } = error;
}
