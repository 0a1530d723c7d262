using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Operator.Commands;

/// <summary>`run [--Section:Key=value ...]`, also what `ovn-unidler` does with no command.</summary>
public static class RunCommand
{
    public const string Description =
        "Run the operator (the default command). Configuration: config/appsettings.json beside the binary, " +
        "then /etc/ovn-unidler/appsettings.json, then environment variables (Unidler__Mode=PerZone), then the overrides given here";

    public static Command Create()
    {
        var command = new Command("run", Description);
        Configure(command, hidden: false);
        return command;
    }

    /// <summary>
    /// Gives <paramref name="command"/> the overrides argument and the operator as its action. On the root
    /// the argument is <paramref name="hidden"/>: help would otherwise show it in every command's usage line.
    /// </summary>
    public static void Configure(Command command, bool hidden)
    {
        var overrides = new Argument<string[]>("OVERRIDES")
        {
            Description = $"Configuration keys to override, e.g. --Southbound:Remote=tcp:10.0.0.1:6642 (the syntax of Microsoft.Extensions.Configuration's command line: {ConfigurationOverrides.Syntax} or --Section:Key value)",
            HelpName = ConfigurationOverrides.Syntax,
            Arity = ArgumentArity.ZeroOrMore,
            Hidden = hidden,
        };
        command.Arguments.Add(overrides);
        command.Validators.Add(result =>
        {
            if (ConfigurationOverrides.FindProblem(result.GetValue(overrides) ?? []) is { } problem)
            {
                result.AddError(problem);
            }
        });
        command.SetAction(async (parse, _) =>
        {
            using var host = UnidlerHost.Build(parse.GetValue(overrides) ?? []);

            // A failed background service stops the host (logged as critical); the exit code says so
            // too, so that the kubelet and `kubectl get pods` show an error rather than a completion.
            var services = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToArray();
            await host.RunAsync().ConfigureAwait(false);
            return services.Any(service => service.ExecuteTask?.IsFaulted == true) ? ExitCodes.Failure : ExitCodes.Success;
        });
    }
}
