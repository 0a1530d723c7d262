using System.Diagnostics;
using System.Threading.Channels;

namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>A running kubectl whose standard output lines are read as they come; killed on dispose.</summary>
public sealed class KubectlStream : IAsyncDisposable
{
    private readonly Process process;
    private readonly Channel<string> lines = Channel.CreateUnbounded<string>();
    private readonly Task reading;

    public KubectlStream(Process process)
    {
        this.process = process;
        reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"| {line}");
                lines.Writer.TryWrite(line);
            }

            lines.Writer.TryComplete();
        });
    }

    /// <summary>Reads lines until one matches, failing when kubectl prints nothing new within the deadline.</summary>
    public async Task<string> LineAsync(Func<string, bool> match, string what)
    {
        while (true)
        {
            string line;
            try
            {
                line = await lines.Reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().Within(Deadline.Long);
            }
            catch (ChannelClosedException)
            {
                throw new Xunit.Sdk.XunitException($"kubectl exited before printing {what}: {await process.StandardError.ReadToEndAsync()}");
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"kubectl printed nothing for {Deadline.Long} while waiting for {what}");
            }

            if (match(line))
            {
                return line;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await reading.WaitAsync(Deadline.Short).ConfigureAwait(false);
        process.Dispose();
    }
}
