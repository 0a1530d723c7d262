using OvnUnidler.Ovsdb.Monitoring;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>
/// A monitor handler that records every batch and replays it onto its own view of the table, noting
/// any change that contradicts the history so far (a row inserted twice, a delete of a row never seen).
/// </summary>
public sealed class BatchRecorder<TRow>
    where TRow : class
{
    private readonly Lock gate = new();
    private readonly List<TableChangeBatch<TRow>> batches = [];
    private readonly Dictionary<Guid, TRow?> view = [];
    private readonly List<string> anomalies = [];

    public Func<TableChangeBatch<TRow>, CancellationToken, ValueTask> Handler => (batch, _) =>
    {
        Record(batch);
        return ValueTask.CompletedTask;
    };

    public IReadOnlyList<TableChangeBatch<TRow>> Batches
    {
        get
        {
            lock (gate)
            {
                return [.. batches];
            }
        }
    }

    public IReadOnlyList<TableChange<TRow>> Changes => [.. Batches.SelectMany(batch => batch.Changes)];

    /// <summary>The rows the handler was told about, replayed from its batches.</summary>
    public IReadOnlySet<Guid> View
    {
        get
        {
            lock (gate)
            {
                return view.Keys.ToHashSet();
            }
        }
    }

    public IReadOnlyList<string> Anomalies
    {
        get
        {
            lock (gate)
            {
                return [.. anomalies];
            }
        }
    }

    public Task WaitForAsync(Func<IReadOnlyList<TableChange<TRow>>, bool> condition, string what, TimeSpan? timeout = null) =>
        Eventually.TrueAsync(() => condition(Changes), what, timeout);

    public void Record(TableChangeBatch<TRow> batch)
    {
        lock (gate)
        {
            batches.Add(batch);
            foreach (var change in batch.Changes)
            {
                switch (change.Kind)
                {
                    case TableChangeKind.Inserted when !view.TryAdd(change.Uuid, change.New):
                        anomalies.Add($"{change.Uuid} inserted while already present");
                        break;
                    case TableChangeKind.Modified when !view.ContainsKey(change.Uuid):
                        anomalies.Add($"{change.Uuid} modified but never inserted");
                        break;
                    case TableChangeKind.Modified:
                        view[change.Uuid] = change.New;
                        break;
                    case TableChangeKind.Deleted when !view.Remove(change.Uuid):
                        anomalies.Add($"{change.Uuid} deleted but never inserted");
                        break;
                }
            }
        }
    }
}
