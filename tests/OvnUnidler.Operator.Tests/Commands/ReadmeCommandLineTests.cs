using System.Text.RegularExpressions;
using OvnUnidler.Operator.Commands;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Commands;

/// <summary>README's "## Command line" section against what `--help` prints, both ways.</summary>
public sealed partial class ReadmeCommandLineTests
{
    [Fact]
    public async Task The_readme_lists_every_command_and_option_of_the_help_and_no_other()
    {
        var section = ReadmeSection();
        var synopsis = section.Split('\n').Where(line => line.StartsWith("    ovn-unidler", StringComparison.Ordinal)).Select(line => line.Trim()).ToList();
        var spans = CodeSpan().Matches(section).Select(match => match.Groups[1].Value)
            .Where(span => span.StartsWith('-') || span.StartsWith("ovn-unidler", StringComparison.Ordinal) || span.StartsWith("status", StringComparison.Ordinal));
        var readmeOptions = synopsis.Concat(spans).SelectMany(text => OptionName().Matches(text).Select(match => match.Value)).ToHashSet();
        var readmeCommands = synopsis.Select(line => line.Split(' ')[1].Trim('[', ']')).Where(word => word.Length > 0 && char.IsAsciiLetterLower(word[0])).ToHashSet();

        var rootHelp = await HelpAsync();
        var helpCommands = Entries(rootHelp, "Commands:").Select(entry => entry.Split(' ')[0]).ToHashSet();
        var optionsByCommand = new Dictionary<string, HashSet<string>> { [""] = Options(rootHelp) };
        foreach (var command in helpCommands)
        {
            optionsByCommand[command] = Options(await HelpAsync(command));
        }

        Assert.Equal(helpCommands.Order(), readmeCommands.Order());
        var helpOptions = optionsByCommand.Values.SelectMany(options => options).ToHashSet();
        Assert.Empty(helpOptions.Except(readmeOptions));
        Assert.Empty(readmeOptions.Except(helpOptions));
        foreach (var line in synopsis)
        {
            var command = line.Split(' ')[1].Trim('[', ']') is var word && readmeCommands.Contains(word) ? word : "";
            var accepted = optionsByCommand[command].Concat(command == "" ? optionsByCommand.Values.SelectMany(options => options) : []).ToHashSet();
            Assert.True(OptionName().Matches(line).All(match => accepted.Contains(match.Value)), $"README line '{line}' names an option `{command}` does not take");
        }
    }

    private static async Task<string> HelpAsync(params string[] command)
    {
        var (exit, output, error) = await OperatorCommand.RunInProcessAsync([.. command, "--help"]);
        Assert.True(exit == ExitCodes.Success, error);
        return output.ReplaceLineEndings("\n");
    }

    // Entries of one help section ("Options:", "Commands:"): lines indented by two spaces, until a blank line.
    private static IEnumerable<string> Entries(string help, string heading) =>
        help[(help.IndexOf($"\n{heading}\n", StringComparison.Ordinal) + heading.Length + 2)..]
            .Split('\n').TakeWhile(line => line.Length > 0).Where(line => line.StartsWith("  ", StringComparison.Ordinal) && line[2] != ' ').Select(line => line[2..]);

    private static HashSet<string> Options(string help) =>
        Entries(help, "Options:").SelectMany(entry => entry.Split("  ")[0].Split(' ')[0..].Where(part => part.StartsWith('-')).Select(part => part.TrimEnd(','))).ToHashSet();

    private static string ReadmeSection()
    {
        var readme = File.ReadAllText(Repository.Combine("README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf("\n## Command line\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "README has no '## Command line' section");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        return readme[start..(end < 0 ? readme.Length : end)];
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();

    // -n, -h, -?, --kubeconfig; not configuration keys (--Southbound:Remote), which start in upper case.
    [GeneratedRegex(@"(?<![\w-])(--[a-z][a-z-]*|-[a-z?])(?![\w:-])")]
    private static partial Regex OptionName();
}
