namespace OvnUnidler.Idling.Annotations;

public sealed record IdleRecordParseResult
{
    private IdleRecordParseResult(IdleRecordStatus status, IdleRecord? record, string? reason)
    {
        Status = status;
        Record = record;
        Reason = reason;
    }

    public IdleRecordStatus Status { get; }

    // Set when Status is Parsed.
    public IdleRecord? Record { get; }

    // Set when Status is Invalid.
    public string? Reason { get; }

    public static IdleRecordParseResult NotIdled { get; } = new(IdleRecordStatus.NotIdled, null, null);

    public static IdleRecordParseResult Parsed(IdleRecord record) => new(IdleRecordStatus.Parsed, record, null);

    public static IdleRecordParseResult Invalid(string reason) => new(IdleRecordStatus.Invalid, null, reason);
}
