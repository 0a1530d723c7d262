namespace OvnUnidler.Operator.Commands;

/// <summary>Positional arguments and --name [value] options; a flag is an option without a value.</summary>
public sealed class CommandArguments
{
    private readonly Dictionary<string, string?> options;

    private CommandArguments(IReadOnlyList<string> positional, Dictionary<string, string?> options)
    {
        Positional = positional;
        this.options = options;
    }

    public IReadOnlyList<string> Positional { get; }

    public static CommandArguments Parse(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                var name = args[i][2..];
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    options[name[..equals]] = name[(equals + 1)..];
                }
                else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    options[name] = args[++i];
                }
                else
                {
                    options[name] = null;
                }
            }
            else
            {
                positional.Add(args[i]);
            }
        }

        return new CommandArguments(positional, options);
    }

    public bool Has(string name) => options.ContainsKey(name);

    public string? Get(string name) => options.GetValueOrDefault(name);

    public string Require(string name) => Get(name) ?? throw new CommandLineException($"--{name} is required");
}
