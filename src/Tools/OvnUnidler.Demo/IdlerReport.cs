using System.Diagnostics;
using System.Text.Json;
using k8s;
using k8s.Models;
using OvnUnidler.Entities;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Manifests;

namespace OvnUnidler.Demo;

/// <summary>
/// The demo Service's Idler, created before the wake and shown after it with real kubectl, as a
/// user would look at it: the wake counted, and the last hold (connections held and handed to the
/// pod, how it ended), which the instance that held writes once the hold is over.
/// </summary>
public sealed class IdlerReport(KubernetesApiDouble api, IKubernetes kubernetes, Narrator narrator)
{
    private static readonly TimeSpan KubectlDeadline = TimeSpan.FromSeconds(60);

    public async Task CreateAsync(string ns, string service, CancellationToken cancellationToken)
    {
        var idler = new V1Alpha1Idler
        {
            Metadata = new V1ObjectMeta { Name = service, NamespaceProperty = ns },
            Spec = new V1Alpha1IdlerSpec { ServiceName = service, DesiredState = IdlerDesiredState.Idled },
        };
        await kubernetes.CustomObjects.CreateNamespacedCustomObjectAsync(
            idler, V1Alpha1Idler.Group, V1Alpha1Idler.Version, ns, V1Alpha1Idler.Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        narrator.Say($"  Idler {ns}/{service} (desiredState: Idled) created; the operator records the Service's wakes and holds in its status");
    }

    /// <summary>
    /// Waits (up to <paramref name="timeout"/>) for the Idler to show one wake and a drained hold
    /// that handed a connection to the pod, prints `kubectl get idlers -o wide` and the last hold,
    /// and says whether both were shown.
    /// </summary>
    public async Task<bool> SayAsync(string ns, string name, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = Stopwatch.StartNew();
        V1Alpha1Idler? idler = null;
        while (waited.Elapsed < timeout)
        {
            idler = await ReadAsync(ns, name, cancellationToken).ConfigureAwait(false);
            if (idler.Status is { WakeCount: > 0, LastHold: { End: IdlerHoldEnd.Drained, HandedToPods: > 0 } })
            {
                break;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        var listing = await KubectlAsync(["get", "idlers", "-n", ns, "-o", "wide"], cancellationToken).ConfigureAwait(false);
        narrator.Say($"  $ kubectl get idlers -n {ns} -o wide");
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            narrator.Say($"  {line}");
        }

        if (idler?.Status?.LastHold is not { } hold)
        {
            narrator.Say($"  NOT SHOWN: the Idler has no lastHold after {timeout.TotalSeconds:0} s");
            return false;
        }

        narrator.Say($"  status.lastHold: {hold.Connections} connection(s) and {hold.Flows} flow(s) held, {hold.HandedToPods} handed to the pod, "
            + $"{hold.Reset} reset, {hold.Dropped} dropped; ended {hold.End} after {hold.Duration}");
        return idler.Status.WakeCount > 0 && hold is { End: IdlerHoldEnd.Drained, HandedToPods: > 0 } && listing.Contains("HELD", StringComparison.Ordinal);
    }

    private async Task<V1Alpha1Idler> ReadAsync(string ns, string name, CancellationToken cancellationToken)
    {
        var element = await kubernetes.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
            V1Alpha1Idler.Group, V1Alpha1Idler.Version, ns, V1Alpha1Idler.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        return KubernetesJson.Deserialize<V1Alpha1Idler>(element.GetRawText());
    }

    /// <summary>Real kubectl, as the demo's cluster-admin, over the double's HTTPS address (kubectl sends tokens only over TLS).</summary>
    private async Task<string> KubectlAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var kubectl = Kustomize.FindKubectl() ?? throw new KubectlMissingException("kubectl is not on PATH: the demo shows the Idler with `kubectl get idlers`");
        var directory = Directory.CreateTempSubdirectory("ovn-unidler-demo-kubectl-");
        try
        {
            var kubeconfig = Path.Combine(directory.FullName, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, api.HttpsKubeconfigFor(api.AdminToken), cancellationToken).ConfigureAwait(false);
            var start = new ProcessStartInfo(kubectl) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("--kubeconfig");
            start.ArgumentList.Add(kubeconfig);
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{kubectl} did not start");
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(KubectlDeadline);
            try
            {
                await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"kubectl {string.Join(' ', arguments)} did not finish within {KubectlDeadline}");
            }

            return process.ExitCode == 0
                ? await output.ConfigureAwait(false)
                : $"kubectl {string.Join(' ', arguments)} exited with {process.ExitCode}: {(await error.ConfigureAwait(false)).Trim()}";
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
