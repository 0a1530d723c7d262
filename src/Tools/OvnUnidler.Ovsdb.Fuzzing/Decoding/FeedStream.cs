namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// The server's side of an in-memory connection: each read returns the next chunk of the case (as a
/// socket returns what has arrived), and once all are read, end of stream, but only after
/// <see cref="Settled"/> says the client took every notification (as a real server closing after its
/// last message would not overtake the client's dispatcher). What the client writes is dropped.
/// Each read counts as the case's progress.
/// </summary>
internal sealed class FeedStream(byte[] bytes, int[] chunks, CaseProgress progress) : Stream
{
    private int chunk;
    private int offset;
    private int position;

    /// <summary>Awaited before the end of stream is returned.</summary>
    public Func<CancellationToken, Task>? Settled { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (chunk >= chunks.Length)
        {
            if (Settled is { } settled)
            {
                await settled(cancellationToken).ConfigureAwait(false);
            }

            return 0;
        }

        var count = Math.Min(buffer.Length, chunks[chunk] - offset);
        bytes.AsMemory(position, count).CopyTo(buffer);
        position += count;
        offset += count;
        progress.TookIn(count);
        if (offset == chunks[chunk])
        {
            chunk++;
            offset = 0;
        }

        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("the connection reads asynchronously");

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public override void Write(byte[] buffer, int offset, int count)
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
