using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>
/// YAML documents as JSON trees, with plain scalars typed by the YAML 1.2 core schema. Kubernetes
/// reads YAML 1.1 (sigs.k8s.io/yaml), where yes/no/on/off are booleans and 0440 is octal; such
/// scalars are refused here, so that a manifest means the same to kubectl and to these tests.
/// </summary>
public static partial class YamlJson
{
    public static IReadOnlyList<JsonObject> ParseObjects(string yaml, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            throw new FormatException($"{source}: {exception.Message}", exception);
        }

        var documents = new List<JsonObject>();
        foreach (var document in stream.Documents)
        {
            switch (Convert(document.RootNode, source))
            {
                case null:
                    break;
                case JsonObject mapping:
                    documents.Add(mapping);
                    break;
                default:
                    throw new FormatException($"{source}: a document is not a mapping");
            }
        }

        return documents;
    }

    public static JsonNode? Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents.Count switch
        {
            0 => null,
            1 => Convert(stream.Documents[0].RootNode, source),
            _ => throw new FormatException($"{source}: expected one YAML document, found {stream.Documents.Count}"),
        };
    }

    private static JsonNode? Convert(YamlNode node, string source) => node switch
    {
        YamlMappingNode mapping => ConvertMapping(mapping, source),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, source))]),
        YamlScalarNode scalar => ConvertScalar(scalar, source),
        _ => throw new FormatException($"{source}: unsupported YAML node {node.NodeType} at {node.Start}"),
    };

    private static JsonObject ConvertMapping(YamlMappingNode mapping, string source)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new FormatException($"{source}: a mapping key at {key.Start} is not a scalar");
            result[name] = Convert(value, source);
        }

        return result;
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar, string source)
    {
        var text = scalar.Value ?? string.Empty;
        if (scalar.Style != ScalarStyle.Plain)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (Yaml11Boolean().IsMatch(text) || LeadingZero().IsMatch(text))
        {
            throw new FormatException($"{source}: the plain scalar '{text}' at {scalar.Start} means something else to Kubernetes' YAML 1.1 reader; quote it or write the number in decimal");
        }

        if (Integer().IsMatch(text))
        {
            return JsonValue.Create(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
        }

        if (Float().IsMatch(text))
        {
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(text);
    }

    [GeneratedRegex("^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")]
    private static partial Regex Yaml11Boolean();

    [GeneratedRegex("^[-+]?0[0-9_]+$")]
    private static partial Regex LeadingZero();

    [GeneratedRegex("^[-+]?(0|[1-9][0-9]*)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
