namespace OvnUnidler.Idling.Scaling;

// What idling needs to know of a workload to decide whether a Service's traffic goes to it.
public sealed record Workload(
    ScalableKind Scalable,
    string Name,
    int Replicas,
    IReadOnlyDictionary<string, string> TemplateLabels,
    IReadOnlyDictionary<string, string> Annotations,
    string? ControllerKind)
{
    public override string ToString() => $"{Scalable.Kind}/{Name}";
}
