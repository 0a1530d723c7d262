using System.Diagnostics.CodeAnalysis;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Pipeline;

/// <summary>
/// The bounded channel between the SB watcher and the mapper, bounded in rows
/// (Unidler:EventChannelCapacity). Each row crosses it already parsed: a typed event or a
/// rejection with its reason. A full channel makes the writer wait, which slows the monitor
/// down instead of dropping a row. Rows travel in segments (the rows of one monitor update, cut
/// where the bound requires), so that a backlog of 100,000 rows is handed over in a few hundred
/// synchronisations instead of two contended locks per row.
/// </summary>
public sealed class SouthboundEventChannel
{
    private readonly Channel<EventParseResult[]> segments = Channel.CreateUnbounded<EventParseResult[]>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly SemaphoreSlim roomFreed = new(0);
    private int depth;
    private int writerWaiting;

    public SouthboundEventChannel(IOptions<UnidlerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Capacity = options.Value.EventChannelCapacity;
        ArgumentOutOfRangeException.ThrowIfLessThan(Capacity, 1);
    }

    public int Capacity { get; }

    /// <summary>Rows written and not yet read.</summary>
    public int Depth => Volatile.Read(ref depth);

    /// <summary>
    /// Writes <paramref name="rows"/> in order, waiting whenever the channel holds
    /// <see cref="Capacity"/> rows. One writer at a time. Cancelled while waiting, the rows before
    /// the wait are in the channel and the rest are not.
    /// </summary>
    public async ValueTask WriteAsync(IReadOnlyList<EventParseResult> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var written = 0;
        while (written < rows.Count)
        {
            var room = await WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
            var segment = new EventParseResult[Math.Min(room, rows.Count - written)];
            for (var index = 0; index < segment.Length; index++)
            {
                segment[index] = rows[written + index];
            }

            Interlocked.Add(ref depth, segment.Length);
            segments.Writer.TryWrite(segment);
            written += segment.Length;
        }
    }

    /// <summary>True once rows can be read (the reader's side of <see cref="ChannelReader{T}.WaitToReadAsync"/>).</summary>
    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) => segments.Reader.WaitToReadAsync(cancellationToken);

    /// <summary>Takes the oldest segment of rows, freeing its room for the writer. One reader at a time.</summary>
    public bool TryRead([NotNullWhen(true)] out EventParseResult[]? rows)
    {
        if (!segments.Reader.TryRead(out rows))
        {
            return false;
        }

        // The depth falls before the flag is read: a writer that set the flag after this point
        // sees the room when it checks again, one that set it before is released here.
        Interlocked.Add(ref depth, -rows.Length);
        if (Interlocked.Exchange(ref writerWaiting, 0) == 1)
        {
            roomFreed.Release();
        }

        return true;
    }

    private async ValueTask<int> WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var room = Capacity - Volatile.Read(ref depth);
            if (room > 0)
            {
                return room;
            }

            Interlocked.Exchange(ref writerWaiting, 1);
            room = Capacity - Volatile.Read(ref depth);
            if (room > 0)
            {
                // A release this flag still causes only makes a later wait check the depth again.
                return room;
            }

            await roomFreed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
