using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Patching;

namespace OvnUnidler.KubernetesDouble.Tests.Patching;

public sealed class MergePatchTests
{
    [Theory]
    [InlineData("""{"a":"b","c":{"d":"e","f":"g"}}""", """{"a":"z","c":{"f":null}}""", """{"a":"z","c":{"d":"e"}}""")]
    [InlineData("""{"a":[1,2]}""", """{"a":[3]}""", """{"a":[3]}""")]
    [InlineData("""{"a":"b"}""", """{"b":{"c":null}}""", """{"a":"b","b":{}}""")]
    [InlineData("""{"a":{"b":1}}""", """{"a":"flat"}""", """{"a":"flat"}""")]
    [InlineData("""{"a":1}""", """["x"]""", """["x"]""")]
    [InlineData("""["x"]""", """{"a":1}""", """{"a":1}""")]
    public void Objects_merge_null_removes_and_everything_else_replaces(string target, string patch, string expected)
    {
        var result = MergePatch.Apply(JsonNode.Parse(target), JsonNode.Parse(patch));

        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), result), result?.ToJsonString());
    }
}
