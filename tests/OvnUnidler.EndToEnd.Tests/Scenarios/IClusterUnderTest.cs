using k8s;

namespace OvnUnidler.EndToEnd.Tests.Scenarios;

/// <summary>
/// The Kubernetes side of an end-to-end scenario: the in-process API double here, a real k3s in
/// the k3s suite. The scenarios run unchanged against either.
/// </summary>
public interface IClusterUnderTest
{
    /// <summary>Why the cluster cannot run here (the test skips itself), or null.</summary>
    string? WhyUnavailable { get; }

    /// <summary>A kubeconfig file for the command-line tools and the operator.</summary>
    string KubeconfigPath { get; }

    /// <summary>A client whose requests are counted in <paramref name="counter"/> (the operator's view of the API).</summary>
    IKubernetes CreateClient(OperatorRequestCounter? counter = null);

    /// <summary>An image whose pods become ready in this cluster.</summary>
    string PodImage { get; }

    /// <summary>How long the scenarios wait for pods to become ready and for wakes to finish.</summary>
    TimeSpan Patience { get; }

    /// <summary>The operator's client: by default the identity of <see cref="CreateClient"/>.</summary>
    IKubernetes CreateOperatorClient(OperatorRequestCounter counter) => CreateClient(counter);

    /// <summary>Settings the operator needs in this cluster, over the scenario's own.</summary>
    IReadOnlyDictionary<string, string?> OperatorSettings => new Dictionary<string, string?>();

    /// <summary>The operator's requests the API server refused as forbidden (403), as the client saw them.</summary>
    IReadOnlyList<string> RefusedOperatorRequests(OperatorRequestCounter counter) => counter.Refused();
}
