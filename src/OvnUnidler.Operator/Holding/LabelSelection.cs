using k8s.Models;

namespace OvnUnidler.Operator.Holding;

/// <summary>
/// Label selectors judged against labels that may be only partly known. Idled pods do not exist:
/// their labels are known only as far as the Service's selector says (every pod behind it carries
/// those); any other key may or may not be there. <see cref="MightSelect"/> is true unless some
/// requirement is certainly false, so a policy that could select the pods counts as selecting them.
/// </summary>
public static class LabelSelection
{
    /// <param name="complete">True when <paramref name="labels"/> are all the object's labels (a Namespace's): a key not there is absent.</param>
    public static bool MightSelect(V1LabelSelector? selector, IReadOnlyDictionary<string, string> labels, bool complete)
    {
        // An empty selector selects everything (LabelSelector: "An empty label selector matches all objects").
        if (selector is null)
        {
            return true;
        }

        foreach (var (key, value) in selector.MatchLabels ?? new Dictionary<string, string>())
        {
            if (!Might(key, labels, complete, present => string.Equals(present, value, StringComparison.Ordinal), ifAbsent: false))
            {
                return false;
            }
        }

        foreach (var requirement in selector.MatchExpressions ?? [])
        {
            var values = requirement.Values ?? [];
            var holds = requirement.OperatorProperty switch
            {
                "In" => Might(requirement.Key, labels, complete, present => values.Contains(present), ifAbsent: false),
                "NotIn" => Might(requirement.Key, labels, complete, present => !values.Contains(present), ifAbsent: true),
                "Exists" => Might(requirement.Key, labels, complete, _ => true, ifAbsent: false),
                "DoesNotExist" => Might(requirement.Key, labels, complete, _ => false, ifAbsent: true),
                // An operator this code does not know: it cannot tell, so the selector might match.
                _ => true,
            };
            if (!holds)
            {
                return false;
            }
        }

        return true;
    }

    private static bool Might(string key, IReadOnlyDictionary<string, string> labels, bool complete, Func<string, bool> whenPresent, bool ifAbsent) =>
        labels.TryGetValue(key, out var present) ? whenPresent(present) : !complete || ifAbsent;
}
