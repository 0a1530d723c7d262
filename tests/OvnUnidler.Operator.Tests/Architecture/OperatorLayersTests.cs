using ArchUnitNET.Loader;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Tests.Architecture;

/// <summary>The operator's namespaces as built, lowest first; docs/architecture.md explains each layer.</summary>
public sealed class OperatorLayersTests
{
    public static readonly LayeredNamespaces Operator = new("OvnUnidler.Operator",
    [
        ["Model"],
        ["Configuration", "Resilience"],
        ["Observability"],
        ["LeaderElection"],
        ["Pipeline"],
        ["Southbound", "Northbound", "Cluster"],
        ["Mapping"],
        ["Backends"],
        ["Holding"],
        ["Waking"],
        ["Controllers"],
        ["Acknowledgement"],
        ["Hosting", "Commands", "Recording"],
    ]);

    private static readonly ArchUnitNET.Domain.Architecture Built =
        new ArchLoader().LoadAssemblies(typeof(ServiceKey).Assembly).Build();

    [Fact]
    public void Operator_namespaces_depend_only_downward_and_form_no_cycle()
    {
        Assert.Empty(Operator.Violations(Built));
    }

    [Fact]
    public void Every_operator_namespace_has_a_layer()
    {
        var found = Built.Namespaces.Select(name => name.FullName)
            .Where(name => name.StartsWith("OvnUnidler.Operator.", StringComparison.Ordinal))
            .Where(name => !Operator.Namespaces.Any(layer => name == layer || name.StartsWith(layer + ".", StringComparison.Ordinal)));

        Assert.Empty(found);
    }

    [Fact]
    public void Every_layer_names_namespaces_that_exist()
    {
        var existing = Built.Namespaces.Select(name => name.FullName).ToHashSet();

        Assert.All(Operator.Namespaces, name => Assert.Contains(name, existing));
    }

    [Fact]
    public void Model_uses_nothing_else_of_the_project()
    {
        var model = Built.Namespaces.Single(name => name.FullName == "OvnUnidler.Operator.Model");
        var used = model.Types.SelectMany(type => type.Dependencies).Select(dependency => dependency.Target.Namespace.FullName)
            .Where(name => name.StartsWith("OvnUnidler.", StringComparison.Ordinal) && name != "OvnUnidler.Operator.Model")
            .Distinct();

        Assert.Empty(used);
    }
}
