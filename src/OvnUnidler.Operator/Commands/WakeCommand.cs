using System.CommandLine;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Waking;

namespace OvnUnidler.Operator.Commands;

/// <summary>`wake SERVICE`: what a packet to an idled Service does, without the packet.</summary>
public static class WakeCommand
{
    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var service = new Argument<string>("SERVICE") { Description = "The Service, as NAMESPACE/SERVICE, or SERVICE with --namespace" };
        var command = new Command("wake", "Wake an idled Service now: scale its recorded targets back up and remove the idle annotations");
        command.Arguments.Add(service);
        cluster.AddTo(command);
        command.Validators.Add(ServiceReference.RequireService(service, cluster.Namespace));
        command.SetAction(async (parse, cancellationToken) =>
        {
            ServiceReference.TryResolve(parse.GetValue(service), parse.GetValue(cluster.Namespace), out var named);
            var output = parse.InvocationConfiguration.Output;
            var waker = new ServiceWaker(cluster.CreateClient(parse), TimeProvider.System, options: new IdlingOptions { Component = "ovn-unidler-cli" });
            var result = await waker.WakeAsync(named.Namespace!, named.Name!, WakeContext.Manual, cancellationToken).ConfigureAwait(false);
            await output.WriteLineAsync($"{named.Namespace}/{named.Name}: {result}").ConfigureAwait(false);
            foreach (var target in result.Targets)
            {
                await output.WriteLineAsync($"  {target.Target.Kind}/{target.Target.Name}: {target.Outcome}").ConfigureAwait(false);
            }

            return result.Status is WakeStatus.Woken or WakeStatus.AlreadyAwake or WakeStatus.NotIdled ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
