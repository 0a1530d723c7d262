namespace OvnUnidler.Operator.Commands;

/// <summary>
/// The arguments of `run` that override configuration keys, in the syntax of
/// Microsoft.Extensions.Configuration's command-line provider (`--Section:Key=value`,
/// `--Section:Key value`, `/Section:Key=value`, `Section:Key=value`). That provider silently skips
/// what it cannot read (a bare word, a single-dash switch, a key without a value), so a typo such as
/// `ovn-unidler idel web` would start the operator; here it is a usage error instead.
/// </summary>
public static class ConfigurationOverrides
{
    public const string Syntax = "--Section:Key=value";

    /// <summary>Null when every token is an override the provider applies, else what is wrong with the first one that is not.</summary>
    public static string? FindProblem(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            var prefixed = token.StartsWith("--", StringComparison.Ordinal) || token.StartsWith('/');
            var key = token.StartsWith("--", StringComparison.Ordinal) ? token[2..] : token.StartsWith('/') ? token[1..] : token;
            var equals = key.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0)
            {
                key = key[..equals];
            }

            if (!prefixed && (equals < 0 || token.StartsWith('-')))
            {
                return $"'{token}' is neither a command nor a configuration override ({Syntax})";
            }

            if (key.Length == 0)
            {
                return $"'{token}' names no configuration key ({Syntax})";
            }

            if (equals < 0)
            {
                // `--Key value`: the provider takes the next token as the value, whatever it is.
                if (i + 1 >= tokens.Count || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                {
                    return $"'{token}' has no value ({Syntax})";
                }

                i++;
            }
        }

        return null;
    }
}
