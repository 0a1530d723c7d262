using System.Diagnostics;

namespace OvnUnidler.Lab.Processes;

/// <summary>Runs the OVS and OVN command-line tools inside one lab directory.</summary>
public sealed class CommandRunner(string workingDirectory)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public string WorkingDirectory { get; } = workingDirectory;

    public async Task<string> RunAsync(string executable, IEnumerable<string> arguments, CancellationToken cancellationToken = default)
    {
        var result = await TryRunAsync(executable, arguments, DefaultTimeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LabCommandException(Describe(executable, arguments), result.ExitCode, result.StandardError);
        }

        return result.StandardOutput;
    }

    public async Task<CommandResult> TryRunAsync(
        string executable, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(ExecutableLocator.Find(executable))
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // The OVS tools find their run, log and database directories through these variables.
        foreach (var variable in new[] { "OVS_RUNDIR", "OVS_LOGDIR", "OVS_DBDIR", "OVN_RUNDIR", "OVN_LOGDIR", "OVN_DBDIR" })
        {
            startInfo.Environment[variable] = WorkingDirectory;
        }

        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"could not start {executable}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new TimeoutException($"'{Describe(executable, arguments)}' did not finish within {timeout}");
        }

        return new CommandResult(process.ExitCode, await output.ConfigureAwait(false), await error.ConfigureAwait(false));
    }

    private static string Describe(string executable, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { executable }.Concat(arguments));
}
