namespace OvnUnidler.KubernetesDouble.Registry;

// metadata.generateName: the prefix plus five random characters from the API server's
// alphabet (no vowels, no confusable digits), as names.SimpleNameGenerator does.
internal static class NameGenerator
{
    private const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
    private const int MaxGeneratedNameLength = 63;
    private const int RandomLength = 5;

    public static string Generate(string prefix)
    {
        if (prefix.Length > MaxGeneratedNameLength - RandomLength)
        {
            prefix = prefix[..(MaxGeneratedNameLength - RandomLength)];
        }

        Span<char> suffix = stackalloc char[RandomLength];
        for (var i = 0; i < suffix.Length; i++)
        {
            suffix[i] = Alphabet[Random.Shared.Next(Alphabet.Length)];
        }

        return prefix + new string(suffix);
    }
}
