namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// How far a case has got: the target counts the bytes it takes in and the messages it handles.
/// The engine reads it from another thread, to tell a case that works through its input, however
/// slowly, from one that spins on the same bytes.
/// </summary>
public sealed class CaseProgress
{
    private long bytes;
    private long messages;

    public long Bytes => Interlocked.Read(ref bytes);

    public long Messages => Interlocked.Read(ref messages);

    public void TookIn(int count) => Interlocked.Add(ref bytes, count);

    public void Handled() => Interlocked.Increment(ref messages);

    public override string ToString() => $"{Bytes} bytes taken in, {Messages} messages handled";
}
