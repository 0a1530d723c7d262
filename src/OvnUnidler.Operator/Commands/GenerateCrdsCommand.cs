using OvnUnidler.Entities.Generation;

namespace OvnUnidler.Operator.Commands;

public static class GenerateCrdsCommand
{
    public static int Run(CommandArguments arguments, TextWriter output)
    {
        var directory = arguments.Positional.Count > 0 ? arguments.Positional[0] : "crds";
        foreach (var path in CustomResourceDefinitionGenerator.WriteAll(directory))
        {
            output.WriteLine($"wrote {path}");
        }

        return 0;
    }
}
