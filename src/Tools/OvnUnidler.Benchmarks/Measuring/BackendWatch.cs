using System.Diagnostics;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Benchmarks.Measuring;

/// <summary>
/// Whether a Northbound load balancer's backends named an address while it ran: `ovsdb-client
/// monitor` on Load_Balancer's vips prints every value the column takes. A hold run uses it to
/// show that the VIP pointed at the operator pod's holder during the wake; a run without that is
/// not a hold run, and its figures are not reported as one.
/// </summary>
public sealed class BackendWatch : IAsyncDisposable
{
    private readonly Process process;
    private readonly string address;
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int seen;

    private BackendWatch(Process process, string address)
    {
        this.process = process;
        this.address = address;
        process.OutputDataReceived += (_, line) => Observe(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>True once any backend of any VIP was <c>ADDRESS:PORT</c>.</summary>
    public bool Seen => Volatile.Read(ref seen) == 1;

    /// <summary>Starts the monitor; returns once it has printed the table's initial contents.</summary>
    public static async Task<BackendWatch> StartAsync(string northboundRemote, string address, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExecutableLocator.Find("ovsdb-client"))
        {
            ArgumentList = { "monitor", northboundRemote, "OVN_Northbound", "Load_Balancer", "vips" },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var watch = new BackendWatch(Process.Start(start) ?? throw new InvalidOperationException("ovsdb-client did not start"), address);
        await watch.started.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        return watch;
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        started.TrySetResult();
        // Backends appear as "=\"10.244.1.10:8080\"" or inside a comma-separated list.
        if (line.Contains($"{address}:", StringComparison.Ordinal))
        {
            Volatile.Write(ref seen, 1);
        }
    }
}
