using System.Globalization;
using System.Text;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Decoding;
using OvnUnidler.Ovsdb.Fuzzing.Mutation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Tests.Fuzzing;

/// <summary>Findings of the decoder fuzzer in the client's monitor path, replayed through the same decoder.</summary>
public sealed class ClientDecoderFindingsTests
{
    private const string Row = "0a0a0a0a-0000-4000-8000-00000000000a";

    private static readonly ClientDecoder Decoder = new(SeedCorpus.Embedded());

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DecodeTransport.Direct)]
    [InlineData(DecodeTransport.Connection)]
    public async Task Update2_after_a_monitor_cond_reply_is_applied(DecodeTransport transport)
    {
        // update2 has no last-txn-id; it was read as an empty one and refused ("update3 last-txn-id must be a string").
        var outcome = await DecodeAsync(transport, """
            {"id":MONITOR_CALL,"result":{"Load_Balancer":{"ROW":{"initial":{"name":"lb","vips":["map",[["10.0.0.1:80",""]]]}}}},"error":null}
            {"id":null,"method":"update2","params":["MONITOR",{"Load_Balancer":{"ROW":{"modify":{"vips":["map",[["10.0.0.1:80","10.1.0.1:8080"]]]}}}}]}
            """);

        Assert.Equal(CaseOutcome.Accepted.Kind, outcome.Kind);
    }

    [Fact]
    public async Task Schema_declaring_a_column_twice_is_read()
    {
        var outcome = await DecodeAsync(DecodeTransport.Direct, """
            {"id":SCHEMA_CALL,"result":{"name":"OVN_Northbound","tables":{"Load_Balancer":{"columns":{"name":{"type":"string"},"name":{"type":"string"}}}}},"error":null}
            """);

        Assert.Equal(CaseOutcome.Accepted.Kind, outcome.Kind);
    }

    [Fact]
    public async Task Schema_whose_table_is_not_an_object_is_a_protocol_error()
    {
        var outcome = await DecodeAsync(DecodeTransport.Direct, """
            {"id":SCHEMA_CALL,"result":{"name":"OVN_Northbound","tables":{"Load_Balancer":5}},"error":null}
            """);

        Assert.IsType<OvsdbProtocolException>(outcome.Exception);
    }

    private static Task<CaseOutcome> DecodeAsync(DecodeTransport transport, string stream)
    {
        var bytes = Encoding.UTF8.GetBytes(stream
            .Replace("MONITOR_CALL", CallPlan.MonitorBalancersCond.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("SCHEMA_CALL", CallPlan.NorthboundSchema.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("MONITOR", CallPlan.BalancersCond, StringComparison.Ordinal)
            .Replace("ROW", Row, StringComparison.Ordinal));
        return Decoder.RunAsync(new FuzzCase(0, 0, "test", bytes, [bytes.Length], transport, 64 * 1024, "test"), new CaseProgress(), Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }
}
