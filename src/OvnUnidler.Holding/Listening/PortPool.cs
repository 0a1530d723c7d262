namespace OvnUnidler.Holding.Listening;

/// <summary>
/// The listener ports of the configured range. Candidates start after the last port handed out, so
/// a port just released is reused last: late packets of a client of the previous hold find no
/// listener rather than another Service's.
/// </summary>
internal sealed class PortPool(int first, int last)
{
    private readonly HashSet<int> used = [];
    private int next;

    public int Free => last - first + 1 - used.Count;

    public IEnumerable<int> Candidates()
    {
        var size = last - first + 1;
        var start = next == 0 ? first : next;
        for (var offset = 0; offset < size; offset++)
        {
            var port = first + ((start - first + offset) % size);
            if (!used.Contains(port))
            {
                yield return port;
            }
        }
    }

    public bool IsFree(int port) => port >= first && port <= last && !used.Contains(port);

    public void Take(int port)
    {
        used.Add(port);
        next = port == last ? first : port + 1;
    }

    public void Return(int port) => used.Remove(port);
}
