using FsCheck;
using FsCheck.Fluent;
using OvnUnidler.Idling.Annotations;

namespace OvnUnidler.Idling.Tests.Annotations;

public sealed class IdleRecordParserPropertyTests
{
    private const string Valid = """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"DeploymentConfig","name":"dc","replicas":1}]""";

    [Fact]
    public void Any_annotation_value_parses_to_a_result_without_throwing()
    {
        Prop.ForAll<string>(value =>
        {
            var result = IdleRecordParser.Parse(new Dictionary<string, string> { [IdleAnnotations.UnidleTargets] = value ?? "" });
            return result.Status == IdleRecordStatus.Parsed ? result.Record is not null : result.Reason is not null;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Every_truncation_or_byte_flip_of_a_valid_value_parses_without_throwing()
    {
        var values = Enumerable.Range(0, Valid.Length).Select(length => Valid[..length])
            .Concat(Enumerable.Range(0, Valid.Length).Select(index => Valid[..index] + (char)(Valid[index] ^ 0x20) + Valid[(index + 1)..]));

        foreach (var value in values)
        {
            var result = IdleRecordParser.Parse(new Dictionary<string, string> { [IdleAnnotations.UnidleTargets] = value });
            Assert.True(result.Status == IdleRecordStatus.Parsed ? result.Record is not null : result.Reason is not null, value);
        }
    }
}
