namespace OvnUnidler.Operator.Configuration;

/// <summary>Bound from the "Unidler" section (config/appsettings.json, env UNIDLER__*).</summary>
public sealed class UnidlerOptions
{
    public const string Section = "Unidler";

    /// <summary>Per zone by default, as deploy/ installs it: ovn-kubernetes dropped central databases upstream.</summary>
    public DeploymentMode Mode { get; set; } = DeploymentMode.PerZone;

    /// <summary>Namespaces whose Services may be woken; empty means all.</summary>
    public List<string> Namespaces { get; set; } = [];

    public BackendsMode Backends { get; set; } = BackendsMode.Observe;

    /// <summary>How long a wake waits for ready endpoints and load-balancer backends before it gives up with a Warning.</summary>
    public TimeSpan BackendsTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Capacity of the bounded channel between the Southbound watcher and the mapper.</summary>
    public int EventChannelCapacity { get; set; } = 10_000;

    /// <summary>Services woken in parallel.</summary>
    public int WakeConcurrency { get; set; } = 16;

    /// <summary>Attempts of one wake before its rows are acknowledged as terminal.</summary>
    public int WakeMaxAttempts { get; set; } = 30;

    public TimeSpan WakeRetryInitialBackoff { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan WakeRetryMaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After a wake target was refused for good (403, 400, 422), how long new traffic to its Service
    /// is acknowledged without trying it again.
    /// </summary>
    public TimeSpan RefusalRetryPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a wake waiting for its pods renews k8s.ovn.org/unidled-at when someone else removed
    /// the idle annotations (OpenShift's unidling controller), so that ovn-kubernetes keeps the VIP
    /// from rejecting; below its 30 s grace.
    /// </summary>
    public TimeSpan UnidleGraceRenewal { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the Kubernetes view relists even without a watch error.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// While the Idler CRD is not installed, how often the operator asks whether it is; the Idler
    /// controller and the recording of wakes in Idler statuses start within this after it is.
    /// </summary>
    public TimeSpan IdlerCrdProbeInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hold the connections and datagrams that reach a waking Service and hand them to its pods
    /// once ready (issue 16), where that widens no access: see the README, Holding connections.
    /// </summary>
    public bool HoldConnections { get; set; } = true;

    /// <summary>
    /// The address the holder's listeners are reached at (the operator pod's IP, from the downward
    /// API in deploy/). Unset: nothing can point a VIP at the holder, so no connection is held.
    /// </summary>
    public string? HolderAddress { get; set; }

    /// <summary><see cref="HolderAddress"/> as an address; null when unset (the validator refuses one that does not parse).</summary>
    public System.Net.IPAddress? HolderIPAddress() => System.Net.IPAddress.TryParse(HolderAddress, out var address) ? address : null;

    /// <summary>How often a hold renews the timestamp on what it published (EndpointSlice or load balancer).</summary>
    public TimeSpan HoldRenewal { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A published holder entry whose renewal is older than this outlived its holder: any instance removes it.</summary>
    public TimeSpan HoldStaleAfter { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Compact the heap and return its free memory to the OS once, after the views first sync.</summary>
    public bool ReleaseStartupHeap { get; set; } = true;
}
