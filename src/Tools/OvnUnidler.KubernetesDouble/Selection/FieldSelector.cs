using System.Text;

namespace OvnUnidler.KubernetesDouble.Selection;

// ?fieldSelector=metadata.name=web,reason!=NeedPods: "=", "==" and "!=" over the few fields
// each resource makes selectable ("Field Selectors" in the Kubernetes documentation).
// A backslash escapes ',', '=', '!' and '\' in values, as fields.EscapeValue does.
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    private FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> terms) => Terms = terms;

    public IReadOnlyList<(string Field, bool Equal, string Value)> Terms { get; }

    public bool IsEmpty => Terms.Count == 0;

    public bool Matches(IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (field, equal, value) in Terms)
        {
            var actual = fields.GetValueOrDefault(field, "");
            if ((actual == value) != equal)
            {
                return false;
            }
        }

        return true;
    }

    public static bool TryParse(string? text, out FieldSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var terms = new List<(string, bool, string)>();
        foreach (var term in SplitUnescaped(text))
        {
            var (field, equal, value, ok) = ParseTerm(term);
            if (!ok)
            {
                error = $"invalid selector: '{text}'; can't understand '{term}'";
                return false;
            }

            terms.Add((field, equal, value));
        }

        selector = new FieldSelector(terms);
        return true;
    }

    private static (string Field, bool Equal, string Value, bool Ok) ParseTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            if (term[i] == '\\')
            {
                i++;
                continue;
            }

            if (term[i] == '!' && i + 1 < term.Length && term[i + 1] == '=')
            {
                return (term[..i].Trim(), false, Unescape(term[(i + 2)..]), i > 0);
            }

            if (term[i] == '=')
            {
                var skip = i + 1 < term.Length && term[i + 1] == '=' ? 2 : 1;
                return (term[..i].Trim(), true, Unescape(term[(i + skip)..]), i > 0);
            }
        }

        return ("", false, "", false);
    }

    private static IEnumerable<string> SplitUnescaped(string text)
    {
        var current = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                current.Append(text[i]).Append(text[i + 1]);
                i++;
            }
            else if (text[i] == ',')
            {
                yield return current.ToString();
                current.Clear();
            }
            else
            {
                current.Append(text[i]);
            }
        }

        yield return current.ToString();
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length)
            {
                i++;
            }

            result.Append(value[i]);
        }

        return result.ToString();
    }
}
