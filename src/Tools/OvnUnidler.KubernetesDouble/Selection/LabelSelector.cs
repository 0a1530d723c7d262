using System.Globalization;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Selection;

// A label selector in the query-parameter syntax (?labelSelector=app=web,tier in (a,b),!canary)
// or built from a metav1.LabelSelector / a plain map. All requirements must hold (AND).
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    private LabelSelector(IReadOnlyList<LabelRequirement> requirements) => Requirements = requirements;

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    public bool IsEmpty => Requirements.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString() =>
        string.Join(",", Requirements.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.ToString()));

    public static LabelSelector FromMap(IReadOnlyDictionary<string, string> map) =>
        new(map.Select(pair => new LabelRequirement(pair.Key, LabelOperator.Equals, [pair.Value])).ToList());

    // metav1.LabelSelector: matchLabels AND matchExpressions (In, NotIn, Exists, DoesNotExist).
    public static LabelSelector? FromLabelSelectorObject(JsonObject? selector)
    {
        if (selector is null)
        {
            return null;
        }

        var requirements = new List<LabelRequirement>();
        foreach (var (key, value) in JsonAccess.StringMap(selector["matchLabels"]) ?? [])
        {
            requirements.Add(new LabelRequirement(key, LabelOperator.Equals, [value]));
        }

        if (selector["matchExpressions"] is JsonArray expressions)
        {
            foreach (var expression in expressions.OfType<JsonObject>())
            {
                var key = JsonAccess.String(expression, "key") ?? "";
                var values = (expression["values"] as JsonArray)?.Select(JsonAccess.String).OfType<string>().ToList() ?? [];
                var op = JsonAccess.String(expression, "operator") switch
                {
                    "In" => LabelOperator.In,
                    "NotIn" => LabelOperator.NotIn,
                    "Exists" => LabelOperator.Exists,
                    "DoesNotExist" => LabelOperator.DoesNotExist,
                    _ => (LabelOperator?)null,
                };
                if (op is null)
                {
                    return null;
                }

                requirements.Add(new LabelRequirement(key, op.Value, values));
            }
        }

        return new LabelSelector(requirements);
    }

    public static bool TryParse(string? text, out LabelSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var requirements = new List<LabelRequirement>();
        var reader = new Reader(text);
        while (true)
        {
            reader.SkipSpaces();
            if (!TryParseRequirement(ref reader, out var requirement, out error))
            {
                error = $"unable to parse requirement: {error}";
                return false;
            }

            requirements.Add(requirement);
            reader.SkipSpaces();
            if (reader.AtEnd)
            {
                break;
            }

            if (!reader.Accept(','))
            {
                error = $"unable to parse requirement: found '{reader.Rest}', expected: ','";
                return false;
            }
        }

        selector = new LabelSelector(requirements);
        return true;
    }

    private static bool TryParseRequirement(ref Reader reader, out LabelRequirement requirement, out string error)
    {
        requirement = null!;
        error = "";
        if (reader.Accept('!'))
        {
            reader.SkipSpaces();
            var negated = reader.ReadKey();
            if (negated.Length == 0)
            {
                error = "found '', expected: identifier";
                return false;
            }

            requirement = new LabelRequirement(negated, LabelOperator.DoesNotExist, []);
            return true;
        }

        var key = reader.ReadKey();
        if (key.Length == 0)
        {
            error = $"found '{reader.Rest}', expected: !, identifier, or 'end of string'";
            return false;
        }

        reader.SkipSpaces();
        if (reader.AtEnd || reader.Peek == ',')
        {
            requirement = new LabelRequirement(key, LabelOperator.Exists, []);
            return true;
        }

        if (reader.Accept("==") || reader.Accept('='))
        {
            requirement = new LabelRequirement(key, LabelOperator.Equals, [reader.ReadValue()]);
            return true;
        }

        if (reader.Accept("!="))
        {
            requirement = new LabelRequirement(key, LabelOperator.NotEquals, [reader.ReadValue()]);
            return true;
        }

        if (reader.Accept('>') || reader.Accept('<'))
        {
            var op = reader.Previous == '>' ? LabelOperator.GreaterThan : LabelOperator.LessThan;
            var number = reader.ReadValue();
            if (!long.TryParse(number, CultureInfo.InvariantCulture, out _))
            {
                error = $"for 'Gt', 'Lt' operators, the value must be an integer: {number}";
                return false;
            }

            requirement = new LabelRequirement(key, op, [number]);
            return true;
        }

        var word = reader.ReadKey();
        var setOp = word switch
        {
            "in" => LabelOperator.In,
            "notin" => LabelOperator.NotIn,
            _ => (LabelOperator?)null,
        };
        if (setOp is null)
        {
            error = $"found '{word}', expected: in, notin, =, ==, !=, gt, lt";
            return false;
        }

        reader.SkipSpaces();
        if (!reader.Accept('('))
        {
            error = "found '" + reader.Rest + "', expected: '('";
            return false;
        }

        var values = new List<string>();
        while (true)
        {
            reader.SkipSpaces();
            values.Add(reader.ReadValue());
            reader.SkipSpaces();
            if (reader.Accept(')'))
            {
                break;
            }

            if (!reader.Accept(','))
            {
                error = "found '" + reader.Rest + "', expected: ',' or ')'";
                return false;
            }
        }

        requirement = new LabelRequirement(key, setOp.Value, values.Where(v => v.Length > 0 || values.Count == 1).ToList());
        return true;
    }

    private ref struct Reader(string text)
    {
        private int position;

        public readonly bool AtEnd => position >= text.Length;

        public readonly char Peek => text[position];

        public readonly char Previous => text[position - 1];

        public readonly string Rest => text[position..];

        public void SkipSpaces()
        {
            while (position < text.Length && char.IsWhiteSpace(text[position]))
            {
                position++;
            }
        }

        public bool Accept(char c)
        {
            if (position < text.Length && text[position] == c)
            {
                position++;
                return true;
            }

            return false;
        }

        public bool Accept(string token)
        {
            if (string.CompareOrdinal(text, position, token, 0, token.Length) == 0)
            {
                position += token.Length;
                return true;
            }

            return false;
        }

        // Keys and values: anything up to a space, comma, operator or parenthesis.
        public string ReadKey()
        {
            var start = position;
            while (position < text.Length && !IsDelimiter(text[position]))
            {
                position++;
            }

            return text[start..position];
        }

        public string ReadValue()
        {
            SkipSpaces();
            return ReadKey();
        }

        private static bool IsDelimiter(char c) => char.IsWhiteSpace(c) || c is ',' or '=' or '!' or '(' or ')' or '<' or '>';
    }
}
