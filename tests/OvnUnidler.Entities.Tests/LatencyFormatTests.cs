namespace OvnUnidler.Entities.Tests;

public sealed class LatencyFormatTests
{
    [Theory]
    [InlineData(0, "0ms")]
    [InlineData(850, "850ms")]
    [InlineData(999.6, "1s")]
    [InlineData(1000, "1s")]
    [InlineData(1250, "1.25s")]
    [InlineData(61_500, "1m1.5s")]
    [InlineData(3_723_000, "1h2m3s")]
    [InlineData(-5, "0ms")]
    public void Latency_prints_like_a_go_duration(double milliseconds, string expected)
    {
        Assert.Equal(expected, V1Alpha1IdlerStatus.FormatLatency(TimeSpan.FromMilliseconds(milliseconds)));
    }
}
