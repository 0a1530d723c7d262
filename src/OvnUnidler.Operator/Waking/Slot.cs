namespace OvnUnidler.Operator.Waking;

/// <summary>
/// One wake's hold on a concurrency slot. Released when its API work ends and taken again for the
/// next piece of API work; releasing twice is harmless, so every path can release on its way out.
/// </summary>
internal sealed class Slot(SemaphoreSlim slots)
{
    private bool held = true;

    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        if (!held)
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            held = true;
        }
    }

    public void Release()
    {
        if (held)
        {
            held = false;
            slots.Release();
        }
    }
}
