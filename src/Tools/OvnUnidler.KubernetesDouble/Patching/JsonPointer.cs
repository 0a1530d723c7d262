namespace OvnUnidler.KubernetesDouble.Patching;

// RFC 6901 JSON Pointer: "" is the whole document, "/a/b" walks members or array indexes;
// "~1" stands for '/' and "~0" for '~' (decoded in that order, section 4).
internal static class JsonPointer
{
    public static bool TryParse(string pointer, out IReadOnlyList<string> tokens)
    {
        tokens = [];
        if (pointer.Length == 0)
        {
            return true;
        }

        if (pointer[0] != '/')
        {
            return false;
        }

        tokens = pointer[1..].Split('/').Select(token => token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        return true;
    }

    // An array index token: digits without leading zeros (section 4).
    public static bool TryIndex(string token, int count, bool allowEnd, out int index)
    {
        index = -1;
        if (allowEnd && token == "-")
        {
            index = count;
            return true;
        }

        if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return false;
        }

        if (!int.TryParse(token, System.Globalization.CultureInfo.InvariantCulture, out index))
        {
            return false;
        }

        return allowEnd ? index <= count : index < count;
    }
}
