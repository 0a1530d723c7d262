using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Hosting;

namespace OvnUnidler.Operator.Commands;

/// <summary>ovn-unidler [run|idle|wake|status|record|replay|generate-crds] ...; no arguments runs the operator.</summary>
public static class CommandLine
{
    public const string Usage = """
        usage: ovn-unidler [command] [options]

          run                                 run the operator (default); configuration: config/appsettings.json,
                                              /etc/ovn-unidler/appsettings.json, environment (Unidler__Mode=PerZone)
          idle NAMESPACE/SERVICE [--dry-run]  idle a Service as `oc idle` does (targets recorded, scaled to 0)
          wake NAMESPACE/SERVICE              wake an idled Service now
          status [NAMESPACE[/SERVICE]]        show idled Services and their targets
          record --southbound REMOTE --output FILE [--duration SECONDS] [--include-existing]
                                              capture Controller_Event rows with their timing (JSON lines)
          replay --southbound REMOTE --input FILE [--fast]
                                              write recorded rows into a Southbound at the recorded pace
          generate-crds [DIRECTORY]           write the CRD YAML generated from the entity types (default: crds)

          --kubeconfig PATH, --context NAME   for idle, wake and status (default: in-cluster, then ~/.kube/config)
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var implicitRun = args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal);
        var command = implicitRun ? "run" : args[0];
        var rest = implicitRun ? args : args[1..];
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, eventArgs) =>
        {
            eventArgs.Cancel = true;
            stop.Cancel();
        };
        try
        {
            switch (command)
            {
                case "run":
                    using (var host = UnidlerHost.Build(rest))
                    {
                        // A failed background service stops the host (logged as critical); the exit code says so
                        // too, so that the kubelet and `kubectl get pods` show an error rather than a completion.
                        var services = host.Services.GetServices<IHostedService>().OfType<BackgroundService>().ToArray();
                        await host.RunAsync().ConfigureAwait(false);
                        return services.Any(service => service.ExecuteTask?.IsFaulted == true) ? 1 : 0;
                    }

                case "idle":
                case "wake":
                case "status":
                    return await IdlingCommands.RunAsync(command, CommandArguments.Parse(rest), Console.Out, stop.Token).ConfigureAwait(false);
                case "record":
                    return await RecordCommand.RunAsync(CommandArguments.Parse(rest), Console.Out, stop.Token).ConfigureAwait(false);
                case "replay":
                    return await ReplayCommand.RunAsync(CommandArguments.Parse(rest), Console.Out, stop.Token).ConfigureAwait(false);
                case "generate-crds":
                    return GenerateCrdsCommand.Run(CommandArguments.Parse(rest), Console.Out);
                case "help" or "-h" or "--help":
                    await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"unknown command '{command}'\n\n{Usage}").ConfigureAwait(false);
                    return 2;
            }
        }
        catch (CommandLineException exception)
        {
            await Console.Error.WriteLineAsync($"{exception.Message}\n\n{Usage}").ConfigureAwait(false);
            return 2;
        }
        catch (k8s.Exceptions.KubeConfigException exception)
        {
            await Console.Error.WriteLineAsync($"no usable Kubernetes configuration: {exception.Message} (pass --kubeconfig PATH, or run in a pod)").ConfigureAwait(false);
            return 3;
        }
        catch (OptionsValidationException exception)
        {
            await Console.Error.WriteLineAsync($"invalid configuration:\n  {string.Join("\n  ", exception.Failures)}").ConfigureAwait(false);
            return 3;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 130;
        }
    }
}
