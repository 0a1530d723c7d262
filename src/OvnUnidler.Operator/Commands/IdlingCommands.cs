using System.Globalization;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Idling.Inspection;
using OvnUnidler.Idling.Waking;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Mapping;

namespace OvnUnidler.Operator.Commands;

/// <summary>idle, wake and status: the same ServiceIdler and ServiceWaker the operator uses, from a terminal.</summary>
public static class IdlingCommands
{
    public static async Task<int> RunAsync(string command, CommandArguments arguments, TextWriter output, CancellationToken cancellationToken)
    {
        var named = command is "idle" or "wake" ? ServiceArgument(arguments) : default;
        var client = KubernetesClientFactory.Create(new KubernetesOptions { Kubeconfig = arguments.Get("kubeconfig"), Context = arguments.Get("context") });
        var options = new IdlingOptions { Component = "ovn-unidler-cli" };
        switch (command)
        {
            case "idle":
            {
                var service = named;
                var idler = new ServiceIdler(client, TimeProvider.System, options: options);
                var result = await idler.IdleAsync(service.Namespace, service.Name, new IdleRequest { DryRun = arguments.Has("dry-run") }, cancellationToken)
                    .ConfigureAwait(false);
                await output.WriteLineAsync($"{service}: {result}").ConfigureAwait(false);
                foreach (var target in result.Targets)
                {
                    await output.WriteLineAsync($"  {target.Target.Kind}/{target.Target.Name}: {target.Outcome}, replicas {target.CurrentReplicas?.ToString(CultureInfo.InvariantCulture) ?? "?"}{(target.Detail is null ? "" : $" ({target.Detail})")}")
                        .ConfigureAwait(false);
                }

                foreach (var (key, value) in result.ServiceAnnotations)
                {
                    await output.WriteLineAsync($"  annotation {key}={value ?? "(removed)"}").ConfigureAwait(false);
                }

                return result.Status is IdleStatus.Idled or IdleStatus.Planned ? 0 : 1;
            }

            case "wake":
            {
                var service = named;
                var waker = new ServiceWaker(client, TimeProvider.System, options: options);
                var result = await waker.WakeAsync(service.Namespace, service.Name, WakeContext.Manual, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{service}: {result}").ConfigureAwait(false);
                foreach (var target in result.Targets)
                {
                    await output.WriteLineAsync($"  {target.Target.Kind}/{target.Target.Name}: {target.Outcome}").ConfigureAwait(false);
                }

                return result.Status is WakeStatus.Woken or WakeStatus.AlreadyAwake or WakeStatus.NotIdled ? 0 : 1;
            }

            default:
            {
                var reader = new IdleStatusReader(client, TimeProvider.System, options);
                var scope = arguments.Positional.Count > 0 ? arguments.Positional[0] : null;
                IReadOnlyList<ServiceIdleStatus> statuses = scope is not null && ServiceKey.TryParse(scope, out var one)
                    ? (await reader.ReadAsync(one.Namespace, one.Name, cancellationToken).ConfigureAwait(false)) is { } found ? [found] : []
                    : await reader.ListAsync(scope, cancellationToken).ConfigureAwait(false);
                foreach (var status in statuses.Where(status => status.IsIdled || scope?.Contains('/', StringComparison.Ordinal) == true))
                {
                    await output.WriteLineAsync(
                        $"{status}: {(status.IsIdled ? $"idled at {status.IdledAtValue ?? "?"}" : "active")}{(status.Problem is null ? "" : $" ({status.Problem})")}")
                        .ConfigureAwait(false);
                    foreach (var target in status.Targets)
                    {
                        await output.WriteLineAsync(
                            $"  {target.Target.Kind}/{target.Target.Name}: recorded {target.RecordedReplicas}, now {target.CurrentReplicas?.ToString(CultureInfo.InvariantCulture) ?? "?"}")
                            .ConfigureAwait(false);
                    }
                }

                return 0;
            }
        }
    }

    private static ServiceKey ServiceArgument(CommandArguments arguments) =>
        arguments.Positional.Count == 1 && ServiceKey.TryParse(arguments.Positional[0], out var service)
            ? service
            : throw new CommandLineException("expected one argument NAMESPACE/SERVICE");
}
