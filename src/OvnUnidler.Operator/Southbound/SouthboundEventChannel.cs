using System.Threading.Channels;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Operator.Southbound;

/// <summary>
/// The bounded channel between the SB watcher and the mapper. FullMode Wait: a full channel
/// slows the monitor down instead of dropping a row.
/// </summary>
public sealed class SouthboundEventChannel(IOptions<UnidlerOptions> options)
{
    private readonly Channel<ControllerEvent> channel = Channel.CreateBounded<ControllerEvent>(
        new BoundedChannelOptions(options.Value.EventChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });

    public ChannelWriter<ControllerEvent> Writer => channel.Writer;

    public ChannelReader<ControllerEvent> Reader => channel.Reader;

    public int Depth => channel.Reader.Count;
}
