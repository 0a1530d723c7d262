using System.CommandLine;
using OvnUnidler.Entities.Generation;

namespace OvnUnidler.Operator.Commands;

public static class GenerateCrdsCommand
{
    public static Command Create()
    {
        var directory = new Argument<string>("DIRECTORY")
        {
            Description = "Where to write the YAML files",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => "crds",
        };
        var command = new Command("generate-crds", "Write the CustomResourceDefinition YAML generated from the entity types") { directory };
        command.SetAction(parse =>
        {
            foreach (var path in CustomResourceDefinitionGenerator.WriteAll(parse.GetRequiredValue(directory)))
            {
                parse.InvocationConfiguration.Output.WriteLine($"wrote {path}");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
