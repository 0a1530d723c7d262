using System.Text.Json.Nodes;
using k8s;
using YamlDotNet.Serialization;

namespace OvnUnidler.Deploy.Tests;

/// <summary>Applies the RFC 6902 add and replace operations this repository's kustomize patches use.</summary>
public static class JsonPatchOperations
{
    public static object Apply(object target, string patchYaml)
    {
        var operations = new DeserializerBuilder().Build().Deserialize<List<Dictionary<string, object>>>(patchYaml);
        var document = JsonNode.Parse(KubernetesJson.Serialize(target))!;
        foreach (var operation in operations)
        {
            var op = (string)operation["op"];
            Assert.True(op is "add" or "replace", $"unsupported patch operation {op}");
            var segments = ((string)operation["path"]).Split('/')[1..].Select(segment => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = segments[..^1].Aggregate(document, (node, segment) =>
                (node is JsonArray array ? array[int.Parse(segment, System.Globalization.CultureInfo.InvariantCulture)] : node[segment])
                ?? throw new InvalidOperationException($"patch path {operation["path"]} does not exist"));
            var value = JsonNode.Parse(new SerializerBuilder().JsonCompatible().Build().Serialize(operation["value"]));
            if (op == "replace")
            {
                Assert.True(parent is JsonObject existing && existing.ContainsKey(segments[^1]) || parent is JsonArray, $"replace of missing {operation["path"]}");
            }

            if (parent is JsonArray list)
            {
                list[int.Parse(segments[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
            }
            else
            {
                parent[segments[^1]] = value;
            }
        }

        return Deserialize(document.ToJsonString(), target.GetType());
    }

    private static object Deserialize(string json, Type type) =>
        typeof(KubernetesJson).GetMethod(nameof(KubernetesJson.Deserialize), [typeof(string), typeof(System.Text.Json.JsonSerializerOptions)])!
            .MakeGenericMethod(type).Invoke(null, [json, null])!;
}
