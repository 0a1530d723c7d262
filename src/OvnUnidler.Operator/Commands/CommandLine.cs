using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace OvnUnidler.Operator.Commands;

/// <summary>ovn-unidler [run|idle|wake|status|record|replay|generate-crds] ...; no command runs the operator.</summary>
public static class CommandLine
{
    public const string Name = "ovn-unidler";

    public static Task<int> RunAsync(string[] args) => RunAsync(args, Console.Out, Console.Error);

    /// <summary>Parses and runs one command line; usage errors are reported on <paramref name="error"/>, never thrown.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var parse = CreateRoot().Parse(args);
        if (parse.Action is ParseErrorAction)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync($"{Name}: {problem.Message}").ConfigureAwait(false);
            }

            await error.WriteLineAsync($"Run '{CommandPath(parse.CommandResult)} --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        void Interrupt(object? sender, ConsoleCancelEventArgs eventArgs)
        {
            eventArgs.Cancel = true;
            stop.Cancel();
        }

        Console.CancelKeyPress += Interrupt;
        try
        {
            // No termination handling by System.CommandLine: `run`'s host handles SIGTERM itself and must be
            // given all the time its graceful stop takes, not the parser's two seconds.
            var invocation = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
            return await parse.InvokeAsync(invocation, stop.Token).ConfigureAwait(false);
        }
        catch (k8s.Exceptions.KubeConfigException exception)
        {
            await error.WriteLineAsync($"{Name}: no usable Kubernetes configuration: {exception.Message} (give --kubeconfig PATH, or Kubernetes:Kubeconfig to run, or run in a pod)").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (OptionsValidationException exception)
        {
            await error.WriteLineAsync($"{Name}: invalid configuration:\n  {string.Join("\n  ", exception.Failures)}").ConfigureAwait(false);
            return ExitCodes.Configuration;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return ExitCodes.Interrupted;
        }
        finally
        {
            Console.CancelKeyPress -= Interrupt;
        }
    }

    /// <summary>
    /// The whole command tree; `run`'s action and overrides are also the root's, so that no command means `run`.
    /// Not a RootCommand, which names itself after the process's entry assembly (a test host's, in tests).
    /// </summary>
    public static Command CreateRoot()
    {
        var root = new Command(Name, "Wakes idled Kubernetes Services on OVN networks when traffic reaches them. Without a command it runs the operator, as `run` does, and takes the same configuration overrides (--Section:Key=value).")
        {
            RunCommand.Create(),
            IdleCommand.Create(),
            WakeCommand.Create(),
            StatusCommand.Create(),
            RecordCommand.Create(),
            ReplayCommand.Create(),
            GenerateCrdsCommand.Create(),
            new HelpOption(),
            new VersionOption { Action = new VersionAction() },
        };
        RunCommand.Configure(root, hidden: true);

        return root;
    }

    private static string CommandPath(CommandResult result) =>
        result.Parent is CommandResult parent ? $"{CommandPath(parent)} {result.Command.Name}" : Name;

    // The operator's own version, whichever assembly started the process (a test host calls RunAsync too).
    private sealed class VersionAction : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            var assembly = typeof(CommandLine).Assembly;
            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
                ?? assembly.GetName().Version?.ToString() ?? "unknown";
            parseResult.InvocationConfiguration.Output.WriteLine(version);
            return ExitCodes.Success;
        }
    }
}
