using System.Globalization;

namespace OvnUnidler.KubernetesDouble.Selection;

// One requirement of a label selector (Kubernetes "Labels and Selectors": equality-based and
// set-based). "!=" and "notin" also match objects that lack the key, as documented.
internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var has = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Exists => has,
            LabelOperator.DoesNotExist => !has,
            LabelOperator.Equals => has && value == Values[0],
            LabelOperator.NotEquals => !has || value != Values[0],
            LabelOperator.In => has && Values.Contains(value!),
            LabelOperator.NotIn => !has || !Values.Contains(value!),
            LabelOperator.GreaterThan => has && long.TryParse(value, CultureInfo.InvariantCulture, out var gt) && gt > long.Parse(Values[0], CultureInfo.InvariantCulture),
            LabelOperator.LessThan => has && long.TryParse(value, CultureInfo.InvariantCulture, out var lt) && lt < long.Parse(Values[0], CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    // The query-parameter syntax, as Scale.status.selector carries it.
    public override string ToString() => Operator switch
    {
        LabelOperator.Exists => Key,
        LabelOperator.DoesNotExist => "!" + Key,
        LabelOperator.Equals => $"{Key}={Values[0]}",
        LabelOperator.NotEquals => $"{Key}!={Values[0]}",
        LabelOperator.In => $"{Key} in ({string.Join(",", Values.Order(StringComparer.Ordinal))})",
        LabelOperator.NotIn => $"{Key} notin ({string.Join(",", Values.Order(StringComparer.Ordinal))})",
        LabelOperator.GreaterThan => $"{Key}>{Values[0]}",
        _ => $"{Key}<{Values[0]}",
    };
}
