using System.Text;
using System.Text.Json.Nodes;

namespace OvnUnidler.KubernetesDouble.Tables;

// The "simple JSON path (i.e. with array notation)" of additionalPrinterColumns: .a.b,
// .a[0].b, .a['dotted.key'], .a[*].b and .a[?(@.type=="Ready")].status. A column shows the
// first value the path finds; none is a missing cell.
internal static class SimpleJsonPath
{
    public static JsonNode? First(JsonNode? root, string path)
    {
        IEnumerable<JsonNode?> current = [root];
        foreach (var step in Steps(path))
        {
            current = current.SelectMany(node => Apply(node, step)).ToList();
        }

        return current.FirstOrDefault(node => node is not null);
    }

    private static IEnumerable<JsonNode?> Apply(JsonNode? node, string step)
    {
        if (step == "*")
        {
            return node switch
            {
                JsonArray array => array,
                JsonObject map => map.Select(pair => pair.Value),
                _ => [],
            };
        }

        if (step.StartsWith("?(@.", StringComparison.Ordinal) && step.EndsWith(')'))
        {
            var condition = step[4..^1].Split("==", 2);
            if (condition.Length != 2 || node is not JsonArray items)
            {
                return [];
            }

            var field = condition[0].Trim();
            var expected = condition[1].Trim().Trim('"', '\'');
            return items.OfType<JsonObject>().Where(item => item[field] is JsonValue value && value.ToString() == expected);
        }

        if (int.TryParse(step, System.Globalization.CultureInfo.InvariantCulture, out var index))
        {
            return node is JsonArray array && index >= 0 && index < array.Count ? [array[index]] : [];
        }

        return node is JsonObject obj && obj.TryGetPropertyValue(step, out var child) ? [child] : [];
    }

    private static List<string> Steps(string path)
    {
        var steps = new List<string>();
        var text = path.Trim();
        if (text.StartsWith('{') && text.EndsWith('}'))
        {
            text = text[1..^1];
        }

        var i = 0;
        while (i < text.Length)
        {
            switch (text[i])
            {
                case '.':
                    i++;
                    break;
                case '[':
                    var close = text.IndexOf(']', i);
                    close = close < 0 ? text.Length : close;
                    steps.Add(text[(i + 1)..close].Trim('\'', '"'));
                    i = close + 1;
                    break;
                default:
                    var name = new StringBuilder();
                    while (i < text.Length && text[i] is not ('.' or '['))
                    {
                        name.Append(text[i++]);
                    }

                    steps.Add(name.ToString());
                    break;
            }
        }

        return steps;
    }
}
