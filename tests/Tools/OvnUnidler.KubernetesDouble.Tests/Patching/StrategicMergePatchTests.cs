using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Patching;

namespace OvnUnidler.KubernetesDouble.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    [Theory]
    [InlineData(
        """{"spec":{"containers":[{"name":"a","image":"1"},{"name":"b","image":"1"}]}}""",
        """{"spec":{"containers":[{"name":"b","$patch":"delete"},{"name":"c","image":"3"}]}}""",
        """{"spec":{"containers":[{"name":"a","image":"1"},{"name":"c","image":"3"}]}}""")]
    [InlineData(
        """{"metadata":{"finalizers":["a"]}}""",
        """{"metadata":{"finalizers":["b"]}}""",
        """{"metadata":{"finalizers":["a","b"]}}""")]
    [InlineData(
        """{"metadata":{"finalizers":["a","b"]}}""",
        """{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}""",
        """{"metadata":{"finalizers":["b"]}}""")]
    [InlineData(
        """{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https"}]}}""",
        """{"spec":{"ports":[{"port":443,"targetPort":8443}]}}""",
        """{"spec":{"ports":[{"port":80,"name":"http"},{"port":443,"name":"https","targetPort":8443}]}}""")]
    [InlineData(
        """{"spec":{"selector":{"a":"1","b":"2"}}}""",
        """{"spec":{"selector":{"$patch":"replace","c":"3"}}}""",
        """{"spec":{"selector":{"c":"3"}}}""")]
    [InlineData(
        """{"spec":{"tolerations":[{"key":"a"}]}}""",
        """{"spec":{"tolerations":[{"key":"b"}]}}""",
        """{"spec":{"tolerations":[{"key":"b"}]}}""")]
    public void Lists_with_merge_keys_merge_and_directives_apply(string target, string patch, string expected)
    {
        var outcome = StrategicMergePatch.Apply(JsonNode.Parse(target)!, JsonNode.Parse(patch));

        Assert.Null(outcome.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), outcome.Result), outcome.Result?.ToJsonString());
    }
}
