using System.CommandLine.Parsing;

namespace OvnUnidler.Operator.Commands;

/// <summary>
/// A Service named on the command line: NAMESPACE/NAME, or NAME with -n NAMESPACE as kubectl takes
/// it. No namespace is taken from the kubeconfig's context: these commands scale workloads, and a
/// context that points elsewhere than the user thinks would act on the wrong Service.
/// </summary>
public readonly record struct ServiceReference(string? Namespace, string? Name)
{
    /// <summary>
    /// <paramref name="text"/> is NAMESPACE/NAME or NAME (null: none given); <paramref name="namespaceOption"/> is -n.
    /// Returns what is wrong, or null.
    /// </summary>
    public static string? TryResolve(string? text, string? namespaceOption, out ServiceReference reference)
    {
        reference = default;
        if (namespaceOption is { } option && !IsName(option))
        {
            return $"--namespace '{option}' is not a namespace name";
        }

        if (text is null)
        {
            reference = new ServiceReference(namespaceOption, null);
            return null;
        }

        var parts = text.Split('/');
        if (parts.Length > 2 || !parts.All(IsName))
        {
            return $"'{text}' is not NAMESPACE/SERVICE or SERVICE";
        }

        if (parts.Length == 2)
        {
            if (namespaceOption is not null && namespaceOption != parts[0])
            {
                return $"'{text}' is in namespace '{parts[0]}' but --namespace says '{namespaceOption}'";
            }

            reference = new ServiceReference(parts[0], parts[1]);
            return null;
        }

        reference = new ServiceReference(namespaceOption, parts[0]);
        return null;
    }

    /// <summary>A validator for a command whose Service argument must name both the namespace and the Service.</summary>
    public static Action<CommandResult> RequireService(System.CommandLine.Argument<string> service, System.CommandLine.Option<string> @namespace) => result =>
    {
        if (result.GetValue(service) is not { } text)
        {
            result.AddError("no Service given: NAMESPACE/SERVICE, or SERVICE with --namespace NAMESPACE");
            return;
        }

        var problem = TryResolve(text, result.GetValue(@namespace), out var reference);
        if (problem is null && reference.Namespace is null)
        {
            problem = $"no namespace for Service '{reference.Name}': give NAMESPACE/{reference.Name} or --namespace NAMESPACE";
        }

        if (problem is not null)
        {
            result.AddError(problem);
        }
    };

    // A DNS-1123 label, the form of namespace and Service names; this catches a swapped or mistyped argument before any request.
    private static bool IsName(string text) =>
        text.Length is > 0 and <= 63
        && text.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
        && text[0] != '-' && text[^1] != '-';
}
