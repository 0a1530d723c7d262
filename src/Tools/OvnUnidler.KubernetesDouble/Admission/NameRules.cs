using System.Text.RegularExpressions;

namespace OvnUnidler.KubernetesDouble.Admission;

// Object names and label syntax (Kubernetes "Object Names and IDs", "Labels and Selectors"):
// most names are RFC 1123 subdomains, namespaces RFC 1123 labels, Services RFC 1035 labels.
internal static partial class NameRules
{
    public static string? CheckSubdomain(string name) =>
        name.Length <= 253 && Subdomain().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character, at most 253 characters";

    public static string? CheckLabel(string name) =>
        name.Length <= 63 && Dns1123Label().IsMatch(name)
            ? null
            : "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character, at most 63 characters";

    public static string? CheckDns1035Label(string name) =>
        name.Length <= 63 && Dns1035Label().IsMatch(name)
            ? null
            : "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character, at most 63 characters";

    public static string? CheckLabelKey(string key)
    {
        var slash = key.LastIndexOf('/');
        var name = slash < 0 ? key : key[(slash + 1)..];
        if (slash >= 0 && (slash == 0 || CheckSubdomain(key[..slash]) is not null))
        {
            return "prefix part must be a lowercase RFC 1123 subdomain";
        }

        return name.Length is > 0 and <= 63 && QualifiedName().IsMatch(name)
            ? null
            : "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, at most 63 characters";
    }

    public static string? CheckLabelValue(string value) =>
        value.Length == 0 || (value.Length <= 63 && QualifiedName().IsMatch(value))
            ? null
            : "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, at most 63 characters";

    public static bool IsPortName(string name) => name.Length is > 0 and <= 15 && PortName().IsMatch(name) && name.Any(char.IsAsciiLetter);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^[a-z]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")]
    private static partial Regex PortName();
}
