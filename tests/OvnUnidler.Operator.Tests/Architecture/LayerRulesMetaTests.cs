using ArchUnitNET.Loader;
using OvnUnidler.Operator.Tests.Architecture.Fixture.Base;

namespace OvnUnidler.Operator.Tests.Architecture;

/// <summary>
/// The rules of <see cref="OperatorLayersTests"/>, built the same way over the Fixture namespaces:
/// Lower uses Upper (a backward dependency) and Upper uses Lower (so the two form a cycle); Upper's
/// use of Base is the one allowed direction.
/// </summary>
public sealed class LayerRulesMetaTests
{
    private const string FixtureRoot = "OvnUnidler.Operator.Tests.Architecture.Fixture";

    private static readonly ArchUnitNET.Domain.Architecture Fixture =
        new ArchLoader().LoadNamespacesWithinAssembly(typeof(BaseRecord).Assembly, FixtureRoot).Build();

    [Fact]
    public void Reports_a_lower_layer_that_uses_a_higher_one()
    {
        var layers = new LayeredNamespaces(FixtureRoot, [["Base"], ["Lower"], ["Upper"]]);

        var violations = layers.LayerRules().SelectMany(rule => rule.Evaluate(Fixture)).Where(result => !result.Passed).Select(result => result.Description);

        Assert.Contains(violations, text => text.Contains("LowerStage", StringComparison.Ordinal) && text.Contains("UpperStage", StringComparison.Ordinal));
    }

    [Fact]
    public void Reports_a_cycle_between_namespaces()
    {
        var violations = new LayeredNamespaces(FixtureRoot, [["Base", "Lower", "Upper"]]).Violations(Fixture);

        var cycle = Assert.Single(violations);
        Assert.Contains("Lower", cycle, StringComparison.Ordinal);
        Assert.Contains("Upper", cycle, StringComparison.Ordinal);
    }

    [Fact]
    public void Passes_layers_that_only_use_their_own_layer_and_lower_ones()
    {
        var layers = new LayeredNamespaces(FixtureRoot, [["Base"], ["Lower", "Upper"]]);

        var failed = layers.LayerRules().SelectMany(rule => rule.Evaluate(Fixture)).Where(result => !result.Passed);

        Assert.Empty(failed);
    }
}
