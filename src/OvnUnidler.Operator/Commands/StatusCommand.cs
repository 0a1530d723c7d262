using System.CommandLine;
using System.Globalization;
using OvnUnidler.Idling;
using OvnUnidler.Idling.Inspection;

namespace OvnUnidler.Operator.Commands;

/// <summary>`status [NAMESPACE[/SERVICE]]`: idled Services and their recorded targets.</summary>
public static class StatusCommand
{
    public static Command Create()
    {
        var cluster = new ClusterOptions();
        var scope = new Argument<string>("SCOPE")
        {
            Description = "NAMESPACE, NAMESPACE/SERVICE, or SERVICE with --namespace (default: every namespace)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var command = new Command("status", "Show the idled Services and their targets; one named Service is shown even when it is active");
        command.Arguments.Add(scope);
        cluster.AddTo(command);
        command.Validators.Add(result =>
        {
            if (ScopeOf(result.GetValue(scope), result.GetValue(cluster.Namespace), out _) is { } problem)
            {
                result.AddError(problem);
            }
        });
        command.SetAction(async (parse, cancellationToken) =>
        {
            ScopeOf(parse.GetValue(scope), parse.GetValue(cluster.Namespace), out var named);
            var output = parse.InvocationConfiguration.Output;
            var reader = new IdleStatusReader(cluster.CreateClient(parse), TimeProvider.System, new IdlingOptions { Component = "ovn-unidler-cli" });
            IReadOnlyList<ServiceIdleStatus> statuses = named.Name is not null
                ? (await reader.ReadAsync(named.Namespace!, named.Name, cancellationToken).ConfigureAwait(false)) is { } found ? [found] : []
                : await reader.ListAsync(named.Namespace, cancellationToken).ConfigureAwait(false);
            foreach (var status in statuses.Where(status => status.IsIdled || named.Name is not null))
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

            return ExitCodes.Success;
        });
        return command;
    }

    // Without --namespace a lone word is a namespace (`status shop`); with it, a Service (`status -n shop web`), as kubectl reads NAME.
    private static string? ScopeOf(string? text, string? namespaceOption, out ServiceReference scope)
    {
        var problem = ServiceReference.TryResolve(text, namespaceOption, out scope);
        if (problem is null && scope.Namespace is null && scope.Name is not null)
        {
            scope = new ServiceReference(scope.Name, null);
        }

        return problem;
    }
}
