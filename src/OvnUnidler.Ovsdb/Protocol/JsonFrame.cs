namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>The bytes of one complete JSON-RPC message, owned by whoever holds the frame.</summary>
public readonly record struct JsonFrame(byte[] Array, int Offset, int Length)
{
    public ReadOnlyMemory<byte> Memory => Array.AsMemory(Offset, Length);
}
