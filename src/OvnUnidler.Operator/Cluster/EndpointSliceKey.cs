namespace OvnUnidler.Operator.Cluster;

public readonly record struct EndpointSliceKey(string Namespace, string Name);
