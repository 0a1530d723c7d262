using System.Collections.Concurrent;
using System.Diagnostics;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// `ovsdb-client monitor REMOTE DATABASE TABLE COLUMNS`: every row of a table as it is at the
/// start and every change after, one printed line each, kept while the watch runs. A polling
/// probe can miss a row that lives for milliseconds (a Controller_Event row acknowledged at once,
/// a backend set and removed again); the monitor sees each one.
/// </summary>
public sealed class TableWatch : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TableWatch(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text)
            {
                lines.Enqueue(text);
                started.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>What the monitor printed so far (a header, the initial rows, then one line per change).</summary>
    public IReadOnlyCollection<string> Lines => lines;

    /// <summary>Starts the monitor; returns once it has printed the table's initial contents (at least its header).</summary>
    public static async Task<TableWatch> StartAsync(string remote, string database, string table, string columns, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(ExecutableLocator.Find("ovsdb-client"))
        {
            ArgumentList = { "monitor", remote, database, table, columns },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var watch = new TableWatch(Process.Start(start) ?? throw new InvalidOperationException("ovsdb-client did not start"));
        try
        {
            await watch.started.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await watch.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return watch;
    }

    /// <summary>Whether any line printed so far contains <paramref name="text"/>.</summary>
    public bool Saw(string text) => lines.Any(line => line.Contains(text, StringComparison.Ordinal));

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync().ConfigureAwait(false);
        process.Dispose();
    }
}
