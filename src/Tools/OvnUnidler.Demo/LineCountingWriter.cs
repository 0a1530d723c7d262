using System.Text;

namespace OvnUnidler.Demo;

/// <summary>Forwards lines to a file and counts them, so a recording can stop once every row is written.</summary>
public sealed class LineCountingWriter(TextWriter inner) : TextWriter
{
    private int lines;

    public int Lines => Volatile.Read(ref lines);

    public override Encoding Encoding => inner.Encoding;

    public override void Write(char value) => inner.Write(value);

    public override async Task WriteLineAsync(ReadOnlyMemory<char> buffer, CancellationToken cancellationToken = default)
    {
        await inner.WriteLineAsync(buffer, cancellationToken).ConfigureAwait(false);
        Interlocked.Increment(ref lines);
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
}
