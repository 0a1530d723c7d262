namespace OvnUnidler.Operator.Commands;

/// <summary>The process's exit codes, as README's "Command line" documents them.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The operator stopped on a fault, or a command could not do what it was asked (a Service left not idled or not woken).</summary>
    public const int Failure = 1;

    /// <summary>The command line itself is wrong: an unknown command or option, a missing or malformed argument.</summary>
    public const int Usage = 2;

    /// <summary>The configuration is: an option that fails validation, no usable kubeconfig.</summary>
    public const int Configuration = 3;

    /// <summary>Interrupted by Ctrl-C (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
