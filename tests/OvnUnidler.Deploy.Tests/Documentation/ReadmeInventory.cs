using System.Text.RegularExpressions;

namespace OvnUnidler.Deploy.Tests.Documentation;

/// <summary>
/// The "What `kubectl apply -k DIR` installs:" lists of README.md's install section: for each
/// directory, the objects it names, one per bullet ("- Kind `name`: why"), plus those of the
/// directory the line says it builds on ("... installs: what `kubectl apply -k deploy/` installs,
/// and:"). `&lt;hash&gt;` in a name stands for the content hash kustomize appends to a generated name.
/// </summary>
public static partial class ReadmeInventory
{
    public sealed record Entry(string Kind, string Name)
    {
        public bool Matches(string kind, string name) =>
            kind == Kind && Regex.IsMatch(name, "^" + Regex.Escape(Name).Replace("<hash>", "[a-z0-9]+", StringComparison.Ordinal) + "$");

        public override string ToString() => $"{Kind} {Name}";
    }

    /// <summary>Directory ("deploy/central", no trailing slash) to the objects README says it installs.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<Entry>> Parse(string readme)
    {
        var lines = readme.ReplaceLineEndings("\n").Split('\n');
        var own = new Dictionary<string, List<Entry>>(StringComparer.Ordinal);
        var bases = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var index = 0; index < lines.Length; index++)
        {
            var intro = Intro().Match(lines[index]);
            if (!intro.Success)
            {
                continue;
            }

            var directory = Directory(intro.Groups["directory"].Value);
            if (own.ContainsKey(directory))
            {
                throw new FormatException($"README.md lists what {directory} installs twice");
            }

            // "what ... installs, and:" may wrap onto the next line.
            var introText = lines[index] + (lines[index].TrimEnd().EndsWith(':') ? "" : " " + lines[++index].Trim());
            if (Base().Match(introText) is { Success: true } builtOn)
            {
                bases[directory] = Directory(builtOn.Groups["directory"].Value);
            }

            var entries = own[directory] = [];
            while (++index < lines.Length && lines[index].Length == 0)
            {
            }

            for (; index < lines.Length && lines[index].Length > 0; index++)
            {
                if (lines[index].StartsWith("  ", StringComparison.Ordinal))
                {
                    continue;
                }

                var bullet = Bullet().Match(lines[index]);
                entries.Add(bullet.Success
                    ? new Entry(bullet.Groups["kind"].Value, bullet.Groups["name"].Value)
                    : throw new FormatException($"README.md, what {directory} installs: '{lines[index]}' is not '- Kind `name`'"));
            }
        }

        return own.Keys.ToDictionary(directory => directory, directory => (IReadOnlyList<Entry>)[.. Resolve(directory, own, bases, [])], StringComparer.Ordinal);
    }

    private static IEnumerable<Entry> Resolve(string directory, Dictionary<string, List<Entry>> own, Dictionary<string, string> bases, HashSet<string> seen)
    {
        if (!seen.Add(directory) || !own.TryGetValue(directory, out var entries))
        {
            throw new FormatException($"README.md: what {directory} installs is not listed, or builds on itself");
        }

        return bases.TryGetValue(directory, out var builtOn) ? Resolve(builtOn, own, bases, seen).Concat(entries) : entries;
    }

    private static string Directory(string argument) => argument.TrimEnd('/');

    [GeneratedRegex(@"^What `(?:kubectl|oc) apply -k (?<directory>[^`]+)` installs:")]
    private static partial Regex Intro();

    [GeneratedRegex(@"installs: what `(?:kubectl|oc) apply -k (?<directory>[^`]+)` installs")]
    private static partial Regex Base();

    [GeneratedRegex(@"^- (?<kind>[A-Z][A-Za-z]+) `(?<name>[^`]+)`(?::.*)?$")]
    private static partial Regex Bullet();
}
