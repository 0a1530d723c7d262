namespace OvnUnidler.Operator.Acknowledgement;

public sealed class AcknowledgementOptions
{
    /// <summary>
    /// Rows deleted per Southbound transaction. ovsdb-server's cost per deleted row grows with the
    /// size of the transaction: deleting 100,000 rows by _uuid with two monitors attached took
    /// 1.7 s of its CPU in batches of 50-100 and 3.6 s in batches of 2,000 (OVS 3.1).
    /// </summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Delete transactions sent without waiting for the previous one's reply.</summary>
    public int TransactionsInFlight { get; set; } = 3;

    public TimeSpan RetryInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
