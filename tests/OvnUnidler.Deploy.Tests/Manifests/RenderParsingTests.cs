namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>What kustomize passes through untouched must still fail here: YAML 1.1 surprises and fields no API type has.</summary>
public sealed class RenderParsingTests
{
    [Theory]
    [InlineData("readOnly: yes")]
    [InlineData("defaultMode: 0440")]
    public void Scalars_that_kubectl_reads_differently_are_refused(string line)
    {
        var refusal = Assert.Throws<FormatException>(() => YamlJson.ParseObjects($"apiVersion: v1\nkind: X\n{line}\n", "inline"));

        Assert.Contains("YAML 1.1", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_field_the_api_type_lacks_fails_typing()
    {
        var rendered = BuiltManifests.Parse("inline", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: demo\ndataa:\n  typo: x\n");

        var refusal = Assert.Throws<FormatException>(() => rendered.Objects);
        Assert.Contains("dataa", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_kubectl_skips_with_the_reason_outside_ci_and_fails_in_ci()
    {
        const string Missing = "/nonexistent/kubectl";

        var failure = Assert.Throws<InvalidOperationException>(() => KubectlKustomize.RequireKubectl(Missing, ci: true));
        Exception? skip = null;
        try
        {
            KubectlKustomize.RequireKubectl(Missing, ci: false);
        }
        catch (Exception exception)
        {
            skip = exception;
        }

        Assert.IsType<Xunit.Sdk.SkipException>(skip);

        Assert.Contains($"{Missing} is missing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("CI is set", failure.Message, StringComparison.Ordinal);
        Assert.Contains($"{Missing} is missing", skip!.Message, StringComparison.Ordinal);
    }
}
