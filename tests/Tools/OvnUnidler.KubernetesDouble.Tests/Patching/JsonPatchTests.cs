using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Patching;

namespace OvnUnidler.KubernetesDouble.Tests.Patching;

public sealed class JsonPatchTests
{
    [Theory]
    [InlineData("""{"a":[1,2]}""", """[{"op":"add","path":"/a/1","value":9}]""", """{"a":[1,9,2]}""")]
    [InlineData("""{"a":[1,2]}""", """[{"op":"add","path":"/a/-","value":3}]""", """{"a":[1,2,3]}""")]
    [InlineData("""{"a/b":1,"m~n":2}""", """[{"op":"remove","path":"/a~1b"},{"op":"replace","path":"/m~0n","value":3}]""", """{"m~n":3}""")]
    [InlineData("""{"a":{"b":1},"c":{}}""", """[{"op":"move","from":"/a/b","path":"/c/d"}]""", """{"a":{},"c":{"d":1}}""")]
    [InlineData("""{"a":[{"x":1}]}""", """[{"op":"test","path":"/a/0","value":{"x":1}},{"op":"copy","from":"/a/0","path":"/b"}]""", """{"a":[{"x":1}],"b":{"x":1}}""")]
    [InlineData("""{"a":1}""", """[{"op":"replace","path":"","value":{"z":0}}]""", """{"z":0}""")]
    public void Operations_apply_in_order(string document, string patch, string expected)
    {
        var outcome = JsonPatch.Apply(JsonNode.Parse(document)!, JsonNode.Parse(patch));

        Assert.Null(outcome.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), outcome.Result), outcome.Result?.ToJsonString());
    }

    [Theory]
    [InlineData("""[{"op":"remove","path":"/missing"}]""")]
    [InlineData("""[{"op":"replace","path":"/a/5","value":1}]""")]
    [InlineData("""[{"op":"add","path":"/x/y","value":1}]""")]
    [InlineData("""[{"op":"test","path":"/a","value":[2]}]""")]
    [InlineData("""[{"op":"move","from":"/a","path":"/a/0"}]""")]
    public void Operations_that_do_not_apply_are_422(string patch)
    {
        var outcome = JsonPatch.Apply(JsonNode.Parse("""{"a":[1]}""")!, JsonNode.Parse(patch));

        Assert.Equal(422, outcome.Error?.Code);
    }

    [Theory]
    [InlineData("""{"op":"add"}""")]
    [InlineData("""[{"path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"/a"}]""")]
    [InlineData("""[{"op":"jump","path":"/a"}]""")]
    [InlineData("""[{"op":"add","path":"a","value":1}]""")]
    public void Malformed_patches_are_400(string patch)
    {
        var outcome = JsonPatch.Apply(JsonNode.Parse("""{"a":[1]}""")!, JsonNode.Parse(patch));

        Assert.Equal(400, outcome.Error?.Code);
    }

    [Fact]
    public void A_failing_operation_leaves_the_document_untouched()
    {
        var document = JsonNode.Parse("""{"a":1}""")!;

        JsonPatch.Apply(document, JsonNode.Parse("""[{"op":"replace","path":"/a","value":2},{"op":"remove","path":"/b"}]"""));

        Assert.Equal("""{"a":1}""", document.ToJsonString());
    }
}
