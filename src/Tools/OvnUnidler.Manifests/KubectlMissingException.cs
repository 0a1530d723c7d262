namespace OvnUnidler.Manifests;

/// <summary>
/// No kubectl on PATH. Kept apart from a failed render (InvalidOperationException), which says
/// the manifests are wrong; this says the machine lacks the tool.
/// </summary>
public sealed class KubectlMissingException(string message) : Exception(message);
