using System.Text.Json;
using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Publishing;

/// <summary>The repository's Dockerfile, read instruction by instruction (no variable expansion).</summary>
public sealed class Dockerfile
{
    private Dockerfile(IReadOnlyList<DockerfileInstruction> instructions) => Instructions = instructions;

    public IReadOnlyList<DockerfileInstruction> Instructions { get; }

    public int FinalStage => Instructions.Max(instruction => instruction.Stage);

    public static Dockerfile Load() => Parse(File.ReadAllLines(Repository.Combine("Dockerfile")));

    public static Dockerfile Parse(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var instructions = new List<DockerfileInstruction>();
        var stage = -1;
        for (var index = 0; index < lines.Count; index++)
        {
            var line = lines[index].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = index + 1;
            while (line.EndsWith('\\') && index + 1 < lines.Count)
            {
                line = line[..^1].TrimEnd() + " " + lines[++index].Trim();
            }

            var space = line.IndexOf(' ', StringComparison.Ordinal);
            var keyword = (space < 0 ? line : line[..space]).ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }

            instructions.Add(new DockerfileInstruction(keyword, space < 0 ? string.Empty : line[(space + 1)..].Trim(), stage, start));
        }

        return new Dockerfile(instructions);
    }

    public IEnumerable<DockerfileInstruction> In(int stage, string keyword) =>
        Instructions.Where(instruction => instruction.Stage == stage && instruction.Keyword == keyword);

    /// <summary>The image a stage starts from ("mcr.microsoft.com/dotnet/sdk:10.0" of "FROM ... AS build").</summary>
    public string BaseImage(int stage) => In(stage, "FROM").Single().Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];

    public int StageNamed(string name) =>
        Instructions.Single(instruction => instruction.Keyword == "FROM" && instruction.Arguments.EndsWith(" AS " + name, StringComparison.OrdinalIgnoreCase)).Stage;

    /// <summary>An exec-form instruction's arguments (ENTRYPOINT ["dotnet", "x.dll"]).</summary>
    public static IReadOnlyList<string> ExecForm(DockerfileInstruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return JsonSerializer.Deserialize<string[]>(instruction.Arguments)
            ?? throw new FormatException($"Dockerfile line {instruction.Line}: {instruction.Keyword} is not in exec form");
    }

    /// <summary>
    /// A shell-form RUN as a plain argument list. Only simple commands are accepted (no quoting,
    /// no shell operators), so that the tests can run exactly what the image build runs.
    /// </summary>
    public static IReadOnlyList<string> SimpleCommand(DockerfileInstruction instruction)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        if (instruction.Arguments.IndexOfAny(['"', '\'', '&', '|', ';', '$', '`', '>', '<', '(']) >= 0)
        {
            throw new NotSupportedException($"Dockerfile line {instruction.Line}: '{instruction.Arguments}' is not a simple command the tests can replay");
        }

        return instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }
}
