using System.Globalization;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Cluster;

/// <summary>
/// The operator as a cluster runs it: its own process (`ovn-unidler run`, the build beside the
/// lab's user) inside an operator pod, configured by environment variables as a Deployment's
/// container is, with POD_IP and Unidler__HolderAddress set to the pod's address as deploy/'s
/// downward API sets them from status.podIP.
/// It reaches the API through the pod's host link (the kubeconfig must name the host's address)
/// and the OVN databases through their unix sockets, which a network namespace does not hide.
/// Its HTTP endpoint listens on every address of the pod, on <see cref="HttpPort"/>.
/// </summary>
public sealed class LabOperator : IAsyncDisposable
{
    /// <summary>The operator's default Http:Port; nothing else listens in its pod.</summary>
    public const int HttpPort = 8080;

    /// <summary>The downward API's conventional name for status.podIP.</summary>
    public const string PodIpVariable = "POD_IP";

    private LabOperator(LabOperatorPod pod, PodProcess process)
    {
        Pod = pod;
        Process = process;
    }

    public LabOperatorPod Pod { get; }

    public PodProcess Process { get; }

    /// <summary>The HTTP endpoint (/healthz, /readyz, /metrics) as the host reaches it, over the host link.</summary>
    public Uri HttpBase => new(string.Create(CultureInfo.InvariantCulture, $"http://{Pod.HostLinkAddress}:{HttpPort}/"));

    /// <summary>
    /// Starts the operator in <paramref name="pod"/>. <paramref name="configuration"/> holds
    /// configuration keys ("Unidler:Mode", "Southbound:Remote", ...), passed as environment variables
    /// ("Unidler__Mode"); <paramref name="logLevel"/> is the console log's default level.
    /// </summary>
    public static LabOperator Start(LabOperatorPod pod, IReadOnlyDictionary<string, string> configuration, string logLevel = "Information")
    {
        ArgumentNullException.ThrowIfNull(pod);
        ArgumentNullException.ThrowIfNull(configuration);
        var environment = configuration.ToDictionary(entry => entry.Key.Replace(":", "__", StringComparison.Ordinal), entry => entry.Value, StringComparer.Ordinal);
        environment[PodIpVariable] = pod.PodIp.ToString();
        // deploy/'s DaemonSet and Deployment give the holder its address from status.podIP the same way.
        environment.TryAdd("Unidler__HolderAddress", pod.PodIp.ToString());
        environment["Http__Port"] = HttpPort.ToString(CultureInfo.InvariantCulture);
        environment["Logging__LogLevel__Default"] = logLevel;
        environment["Logging__Console__FormatterName"] = "simple";
        environment["Logging__Console__FormatterOptions__SingleLine"] = "true";
        return new LabOperator(pod, pod.Pod.Start("dotnet", [OperatorBuild.EntryAssembly, "run"], environment));
    }

    /// <summary>Returns once /readyz answers 200; throws if the process exits first or <paramref name="timeout"/> passes.</summary>
    public Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        OperatorReadiness.WaitAsync(
            new Uri(HttpBase, "readyz"),
            $"the operator in {Pod}",
            () => Process.HasExited ? $"exited with {Process.ExitCode}" : null,
            () => Log,
            timeout,
            cancellationToken);

    /// <summary>What the operator wrote so far, standard output then standard error.</summary>
    public string Log => string.Join('\n', Process.Output.Append(Process.StandardError));

    /// <summary>SIGKILL: the process dies at once, as in a crash or an OOM kill; nothing it published is withdrawn.</summary>
    public void Kill() => PosixSignal.Send(Process.Pid, PosixSignal.Kill);

    /// <summary>SIGTERM, as the kubelet stops a container, then the process' exit; killed if it outlasts <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (Process.HasExited)
        {
            return;
        }

        PosixSignal.Send(Process.Pid, PosixSignal.Terminate);
        using var deadline = new CancellationTokenSource(grace);
        try
        {
            await Process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        Process.Dispose();
    }
}
