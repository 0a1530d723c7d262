namespace OvnUnidler.Operator.Acknowledgement;

public sealed class AcknowledgementOptions
{
    /// <summary>Rows deleted per Southbound transaction.</summary>
    public int MaxBatchSize { get; set; } = 2000;

    public TimeSpan RetryInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(10);
}
