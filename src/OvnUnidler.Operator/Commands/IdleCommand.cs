using System.CommandLine;
using System.Globalization;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Idle;

namespace OvnUnidler.Operator.Commands;

/// <summary>`idle SERVICE`: the ServiceIdler the Idler controller uses, from a terminal.</summary>
public static class IdleCommand
{
    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var service = new Argument<string>("SERVICE") { Description = "The Service, as NAMESPACE/SERVICE, or SERVICE with --namespace" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan and change nothing" };
        var command = new Command("idle", "Idle a Service as `oc idle` does: record its scalable targets and their replicas on it, then scale them to 0");
        command.Arguments.Add(service);
        command.Options.Add(dryRun);
        cluster.AddTo(command);
        command.Validators.Add(ServiceReference.RequireService(service, cluster.Namespace));
        command.SetAction(async (parse, cancellationToken) =>
        {
            ServiceReference.TryResolve(parse.GetValue(service), parse.GetValue(cluster.Namespace), out var named);
            var output = parse.InvocationConfiguration.Output;
            var idler = new ServiceIdler(cluster.CreateClient(parse), TimeProvider.System, options: new IdlingOptions { Component = "ovn-unidler-cli" });
            var result = await idler.IdleAsync(named.Namespace!, named.Name!, new IdleRequest { DryRun = parse.GetValue(dryRun) }, cancellationToken)
                .ConfigureAwait(false);
            await output.WriteLineAsync($"{named.Namespace}/{named.Name}: {result}").ConfigureAwait(false);
            foreach (var target in result.Targets)
            {
                await output.WriteLineAsync($"  {target.Target.Kind}/{target.Target.Name}: {target.Outcome}, replicas {target.CurrentReplicas?.ToString(CultureInfo.InvariantCulture) ?? "?"}{(target.Detail is null ? "" : $" ({target.Detail})")}")
                    .ConfigureAwait(false);
            }

            foreach (var (key, value) in result.ServiceAnnotations)
            {
                await output.WriteLineAsync($"  annotation {key}={value ?? "(removed)"}").ConfigureAwait(false);
            }

            return result.Status is IdleStatus.Idled or IdleStatus.Planned ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
