namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

public sealed record KubectlResult(int ExitCode, string Output, string Error)
{
    /// <summary>The printed table: one entry per line, each the line's columns (split on runs of spaces).</summary>
    public IReadOnlyList<string[]> Rows => Table.Parse(Output);
}
