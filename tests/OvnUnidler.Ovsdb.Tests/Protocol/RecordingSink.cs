using System.Text;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Protocol;

/// <summary>A result sink that writes down what it was handed, copying the bytes (they are valid only during the call).</summary>
internal sealed class RecordingSink(int tableUpdatesIndex) : IJsonRpcResultSink
{
    public int TableUpdatesIndex { get; } = tableUpdatesIndex;

    public List<string> Received { get; } = [];

    public void OnResultElement(int index, ReadOnlySpan<byte> json) => Received.Add($"element {index} {Encoding.UTF8.GetString(json)}");

    public void OnRowUpdate(string table, Guid uuid, ReadOnlyMemory<byte> rowUpdate) =>
        Received.Add($"row {table} {uuid} {Encoding.UTF8.GetString(rowUpdate.Span)}");
}
