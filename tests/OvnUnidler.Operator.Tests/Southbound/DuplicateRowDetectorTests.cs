using OvnUnidler.Operator.Southbound;

namespace OvnUnidler.Operator.Tests.Southbound;

public sealed class DuplicateRowDetectorTests
{
    private readonly DuplicateRowDetector detector = new();
    private readonly Guid chassis = Guid.NewGuid();

    [Fact]
    public void A_second_row_with_the_same_chassis_seq_num_and_vip_is_a_duplicate()
    {
        Assert.False(detector.IsDuplicate(Row(7, "10.0.0.1:80")));
        Assert.True(detector.IsDuplicate(Row(7, "10.0.0.1:80")));
    }

    [Fact]
    public void The_same_row_seen_again_is_not_a_duplicate()
    {
        var row = Row(7, "10.0.0.1:80");

        Assert.False(detector.IsDuplicate(row));
        Assert.False(detector.IsDuplicate(row));
    }

    [Fact]
    public void A_reused_seq_num_with_another_vip_means_ovn_controller_restarted()
    {
        Assert.False(detector.IsDuplicate(Row(1, "10.0.0.1:80")));
        Assert.False(detector.IsDuplicate(Row(1, "10.0.0.2:80")));
        Assert.True(detector.IsDuplicate(Row(1, "10.0.0.2:80")));
    }

    [Fact]
    public void Rows_without_chassis_are_never_duplicates()
    {
        var orphan = Row(3, "10.0.0.1:80") with { Chassis = null };

        Assert.False(detector.IsDuplicate(orphan));
        Assert.False(detector.IsDuplicate(orphan with { RowUuid = Guid.NewGuid() }));
    }

    [Fact]
    public void Memory_stays_bounded_and_a_chassis_that_is_gone_is_forgotten_first()
    {
        var bounded = new DuplicateRowDetector(capacityPerChassis: 10, maxChassis: 3);
        var gone = Guid.NewGuid();
        Assert.False(bounded.IsDuplicate(Row(1, "10.0.0.1:80", gone)));
        var live = Enumerable.Range(0, 2).Select(_ => Guid.NewGuid()).ToList();

        for (var seqNum = 1; seqNum <= 100; seqNum++)
        {
            foreach (var node in live)
            {
                bounded.IsDuplicate(Row(seqNum, $"10.0.0.{seqNum % 50}:80", node));
            }

            bounded.IsDuplicate(Row(seqNum, "10.0.0.9:80", Guid.NewGuid()));
        }

        Assert.Equal(3, bounded.ChassisCount);
        Assert.True(bounded.RememberedRows <= 30, $"{bounded.RememberedRows} rows remembered");
        Assert.True(bounded.IsDuplicate(Row(100, "10.0.0.0:80", live[0])), "a chassis still writing was forgotten");
        Assert.False(bounded.IsDuplicate(Row(1, "10.0.0.1:80", gone)), "the chassis that wrote nothing since was not forgotten");
    }

    private ControllerEvent Row(long seqNum, string vip, Guid? from = null) => new(
        Guid.NewGuid(), from ?? chassis, seqNum, ControllerEventParser.EmptyLbBackends,
        new Dictionary<string, string> { ["vip"] = vip, ["protocol"] = "tcp" }, DateTimeOffset.UnixEpoch, 0);
}
