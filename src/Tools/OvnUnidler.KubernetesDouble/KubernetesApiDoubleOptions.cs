namespace OvnUnidler.KubernetesDouble;

public sealed class KubernetesApiDoubleOptions
{
    /// <summary>
    /// The double for a cluster whose Pods a kubelet outside it runs (the real-traffic lab's): its
    /// controllers create Pods and react to a replica change at once, and leave the Pods to that
    /// kubelet; <paramref name="customResourceDefinitions"/> (a file or directory, e.g. crds/) are applied at start.
    /// </summary>
    public static KubernetesApiDoubleOptions ForOutsideKubelet(string customResourceDefinitions)
    {
        var options = new KubernetesApiDoubleOptions { SimulateKubelet = false, ReadyDelay = TimeSpan.Zero };
        options.CustomResourceDefinitions.Add(customResourceDefinitions);
        return options;
    }

    // How long the simulated controller-manager takes to make pods ready after a replica change.
    public TimeSpan ReadyDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public bool EnableControllerManager { get; set; } = true;

    // true: the simulated controllers also play the kubelet, so a pod they create is running and
    // ready at once with addresses from PodAddresses. false: they create Pods and leave them to a
    // kubelet outside the double (the real-traffic lab's), which writes pods/status; EndpointSlices
    // and workload statuses then follow the readiness that kubelet reports. ReadyDelay still
    // delays the controllers' reaction to a replica change; such a kubelet usually wants it at 0.
    public bool SimulateKubelet { get; set; } = true;

    // Addresses of the pods the simulated controllers start; null uses a simulated pod network
    // (10.128.0.0/14 and fd00:10:128::/64). A lab with real pods plugs in its own.
    public ControllerManager.IPodAddressAllocator? PodAddresses { get; set; }

    // How many changes (resourceVersions) the watch history keeps; a watch or paginated list
    // from an older resourceVersion gets 410 Gone (Expired).
    public int WatchCacheWindow { get; set; } = 1000;

    // How often etcd is compacted (the API server's --etcd-compaction-interval): each compaction
    // forgets the changes made before the previous one, so a resourceVersion older than one to two
    // intervals gets 410 Gone as well. Zero or less: history expires by count only.
    public TimeSpan CompactionInterval { get; set; } = TimeSpan.FromMinutes(5);

    // Bookmarks on watches with allowWatchBookmarks=true. The API server sends them about once
    // a minute; a shorter default lets demos and tests see them.
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(10);

    // Clock for creationTimestamp, bookmarks, watch timeouts, the controller-manager's delay,
    // fault expiry and the request journal. Defaults to the system clock.
    public TimeProvider? TimeProvider { get; set; }

    // CustomResourceDefinition YAML files (or directories of them) created at start, as
    // `kubectl apply -f` would: their kinds are then served like any CRD created through the API.
    public IList<string> CustomResourceDefinitions { get; } = [];

    // Keep each request's body in the journal (RecordedRequest.Body).
    public bool RecordRequestBodies { get; set; } = true;

    // Serve OpenShift's apps.openshift.io (DeploymentConfigs) and the rules OpenShift aggregates
    // into edit and view for them; false is a cluster without OpenShift.
    public bool ServeOpenShiftApps { get; set; } = true;

    // The plain HTTP port; 0 picks a free port.
    public int Port { get; set; }

    // The HTTPS port (KubernetesApiDouble.HttpsAddress); 0 picks a free port.
    public int HttpsPort { get; set; }

    // Addresses to listen on beside 127.0.0.1, plain HTTP on Port and HTTPS on HttpsPort (with 0,
    // each listener on a free port of its own): the real-traffic lab's host link, which its
    // operator pods reach from their own network namespaces. ServerOn and HttpsServerOn give the
    // URLs for each.
    public IList<System.Net.IPAddress> ListenAddresses { get; } = [];
}
