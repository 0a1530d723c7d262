using System.Text;

namespace OvnUnidler.Lab.Ovn;

/// <summary>
/// Arguments for the database commands of ovn-nbctl (create, set; ovn-nbctl(8) "Database
/// Values"). A map key such as "[fd00::10]:80" holds ':' '[' ']', which the command parser would
/// split on, so every key and value goes in double quotes with JSON string escapes (ovsdb_atom_from_string).
/// </summary>
internal static class CtlSyntax
{
    public static string Quote(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        foreach (var character in value)
        {
            if (character is '"' or '\\')
            {
                quoted.Append('\\');
            }

            quoted.Append(character);
        }

        return quoted.Append('"').ToString();
    }

    /// <summary><c>column:"key"="value"</c>, one entry of a map column.</summary>
    public static string MapEntry(string column, string key, string value) => $"{column}:{Quote(key)}={Quote(value)}";

    /// <summary><c>column={"key"="value",...}</c>, a whole map column (<c>column={}</c> when empty).</summary>
    public static string Map(string column, IEnumerable<KeyValuePair<string, string>> entries) =>
        $"{column}={{{string.Join(',', entries.Select(pair => $"{Quote(pair.Key)}={Quote(pair.Value)}"))}}}";
}
