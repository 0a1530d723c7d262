namespace OvnUnidler.Holding.Tests;

public sealed class HoldingOptionsValidatorTests
{
    [Fact]
    public void Accepts_the_defaults()
    {
        var result = new HoldingOptionsValidator().Validate(null, new HoldingOptions());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("ListenAddress", "Holding:ListenAddress 'pod-ip'")]
    [InlineData("AdvertiseAddress", "Holding:AdvertiseAddress 'somewhere'")]
    [InlineData("PortRange", "Holding:FirstPort 32300 and LastPort 32299")]
    [InlineData("PortZero", "Holding:FirstPort 0")]
    [InlineData("MaxConnections", "Holding:MaxConnections 0 must be at least 1")]
    [InlineData("PerServiceAboveTotal", "Holding:MaxConnectionsPerService 5000 exceeds Holding:MaxConnections 4096")]
    [InlineData("ClientAboveService", "MaxDatagramsPerClient 2000")]
    [InlineData("MaxBufferedBytesPerService", "Holding:MaxBufferedBytesPerService 0 must be at least 1")]
    [InlineData("UdpFlowIdleTimeout", "Holding:UdpFlowIdleTimeout 00:00:00 must be positive")]
    [InlineData("ConnectTimeout", "Holding:ConnectTimeout -00:00:01 must be positive")]
    [InlineData("RelayBufferBytes", "Holding:RelayBufferBytes 100 must be between")]
    public void Names_the_bad_setting_and_its_value(string setting, string expected)
    {
        var options = new HoldingOptions();
        switch (setting)
        {
            case "ListenAddress": options.ListenAddress = "pod-ip"; break;
            case "AdvertiseAddress": options.AdvertiseAddress = "somewhere"; break;
            case "PortRange": options.FirstPort = 32300; break;
            case "PortZero": options.FirstPort = 0; break;
            case "MaxConnections": (options.MaxConnections, options.MaxConnectionsPerService) = (0, 0); break;
            case "PerServiceAboveTotal": options.MaxConnectionsPerService = 5000; break;
            case "ClientAboveService": options.MaxDatagramsPerClient = 2000; break;
            case "MaxBufferedBytesPerService": options.MaxBufferedBytesPerService = 0; break;
            case "UdpFlowIdleTimeout": options.UdpFlowIdleTimeout = TimeSpan.Zero; break;
            case "ConnectTimeout": options.ConnectTimeout = TimeSpan.FromSeconds(-1); break;
            case "RelayBufferBytes": options.RelayBufferBytes = 100; break;
            default: throw new ArgumentOutOfRangeException(nameof(setting));
        }

        var result = new HoldingOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+")]
    [InlineData("*")]
    [InlineData("::")]
    [InlineData("[fd00::5]")]
    [InlineData("10.0.0.5")]
    public void Accepts_wildcards_and_addresses_of_both_families_as_the_listen_address(string address)
    {
        var result = new HoldingOptionsValidator().Validate(null, new HoldingOptions { ListenAddress = address });

        Assert.True(result.Succeeded, result.FailureMessage);
    }
}
