using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.KubernetesDouble.Authentication;
using OvnUnidler.KubernetesDouble.Authorization;
using OvnUnidler.KubernetesDouble.ControllerManager;
using OvnUnidler.KubernetesDouble.CustomResources;
using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.KubernetesDouble.Http;
using OvnUnidler.KubernetesDouble.Journal;
using OvnUnidler.KubernetesDouble.Registry;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Storage;
using OvnUnidler.KubernetesDouble.Watch;

namespace OvnUnidler.KubernetesDouble;

// An in-process Kubernetes API server for tests, the demo and benchmarks: Kestrel on
// 127.0.0.1, plain HTTP and HTTPS (its own CA), bearer tokens and RBAC, following the
// documented API semantics.
public sealed partial class KubernetesApiDouble : IAsyncDisposable
{
    private static readonly string[] InitialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly WebApplication app;
    private readonly CancellationTokenSource stopping;
    private readonly ResourceCatalog catalog;
    private readonly ServingCertificates certificates;
    private readonly IReadOnlyList<Uri> addresses;
    private int disposed;

    private KubernetesApiDouble(
        WebApplication app, CancellationTokenSource stopping, ResourceCatalog catalog, Uri baseAddress, Uri httpsAddress, ServingCertificates certificates,
        RequestJournal requests, FaultInjector faults, ControllerManagerSimulation controllerManager, TokenAuthenticator authenticator, RbacAuthorizer authorizer,
        IReadOnlyList<Uri> addresses)
    {
        this.addresses = addresses;
        this.app = app;
        this.certificates = certificates;
        HttpsAddress = httpsAddress;
        this.authenticator = authenticator;
        this.authorizer = authorizer;
        AdminToken = authenticator.Issue(UserInfo.ClusterAdmin);
        this.stopping = stopping;
        this.catalog = catalog;
        BaseAddress = baseAddress;
        Requests = requests;
        Faults = faults;
        ControllerManager = controllerManager;
    }

    // Plain HTTP: what KubernetesClient configurations and Kubeconfig use.
    public Uri BaseAddress { get; }

    // The same API over TLS, with a certificate from the double's own CA (CertificateAuthorityPem).
    // kubectl sends a bearer token only over TLS: HttpsKubeconfigFor is the kubeconfig for it.
    public Uri HttpsAddress { get; }

    // The URL of the plain HTTP listener on one of KubernetesApiDoubleOptions.ListenAddresses (or loopback).
    public Uri ServerOn(System.Net.IPAddress address) => ListenerOn(address, Uri.UriSchemeHttp);

    // The URL of the HTTPS listener on one of KubernetesApiDoubleOptions.ListenAddresses (or
    // loopback); the serving certificate names each of them, so a client that trusts the CA verifies it there too.
    public Uri HttpsServerOn(System.Net.IPAddress address) => ListenerOn(address, Uri.UriSchemeHttps);

    private Uri ListenerOn(System.Net.IPAddress address, string scheme) =>
        addresses.FirstOrDefault(uri => uri.Scheme == scheme && System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var bound) && bound.Equals(address))
        ?? throw new InvalidOperationException($"the API double does not listen on {address}; add it to KubernetesApiDoubleOptions.ListenAddresses");

    // A new configuration on every read (Host = BaseAddress, the cluster-admin token), so a
    // caller can change its timeouts or handlers without affecting other clients.
    public KubernetesClientConfiguration ClientConfiguration => ClientConfigurationFor(AdminToken);

    // A kubeconfig for tools that take one (the command line, an operator process): this address,
    // as cluster-admin.
    public string Kubeconfig => KubeconfigFor(AdminToken);

    public RequestJournal Requests { get; }

    public FaultInjector Faults { get; }

    public ControllerManagerSimulation ControllerManager { get; }

    public static async Task<KubernetesApiDouble> StartAsync(KubernetesApiDoubleOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new KubernetesApiDoubleOptions();
        var time = options.TimeProvider ?? TimeProvider.System;
        var catalog = new ResourceCatalog(options.ServeOpenShiftApps);
        var store = new ObjectStore(options.WatchCacheWindow, SelectableFields.Extract, time, options.CompactionInterval);
        var registry = new ResourceRegistry(store, catalog, time);
        store.Subscribe(new DefinitionFeed(catalog), store.CurrentResourceVersion, null);
        foreach (var name in InitialNamespaces)
        {
            registry.Create(catalog.Namespaces, "", new System.Text.Json.Nodes.JsonObject { ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } });
        }

        BootstrapAccessControl(registry, options.ServeOpenShiftApps);
        var authenticator = new TokenAuthenticator();
        var authorizer = new RbacAuthorizer(registry);
        DefinitionFiles.Create(registry, options.CustomResourceDefinitions);

        var stopping = new CancellationTokenSource();
        var watches = new WatchHub();
        var journal = new RequestJournal();
        var faults = new FaultInjector(time, watches, store);
        var controllerManager = new ControllerManagerSimulation(registry, time, options.ReadyDelay, options.EnableControllerManager, options.PodAddresses ?? new PodIpPool(), options.SimulateKubelet);

        var certificates = ServingCertificates.Create(options.ListenAddresses);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, options.Port);
            kestrel.Listen(System.Net.IPAddress.Loopback, options.HttpsPort, listen => listen.UseHttps(certificates.Server));
            foreach (var extra in options.ListenAddresses)
            {
                kestrel.Listen(extra, options.Port);
                kestrel.Listen(extra, options.HttpsPort, listen => listen.UseHttps(certificates.Server));
            }

            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        string address = "";
        var discovery = new DiscoveryDocuments(catalog, () => address);
        var handler = new ApiRequestHandler(
            registry,
            new ApiPathParser(catalog, discovery),
            new WatchStreamWriter(registry, time, options.BookmarkInterval),
            watches,
            faults,
            journal,
            authenticator,
            authorizer,
            time,
            options.RecordRequestBodies,
            stopping.Token);
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var addresses = bound.Select(item => new Uri(item.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/")).ToList();
        var baseAddress = addresses.First(uri => uri.Host == "127.0.0.1" && uri.Scheme == Uri.UriSchemeHttp);
        address = $"{baseAddress.Host}:{baseAddress.Port}";
        controllerManager.Start();
        return new KubernetesApiDouble(
            app, stopping, catalog, baseAddress, addresses.First(uri => uri.Host == "127.0.0.1" && uri.Scheme == Uri.UriSchemeHttps), certificates, journal, faults, controllerManager, authenticator, authorizer, addresses);
    }

    public IKubernetes CreateClient() => new Kubernetes(ClientConfiguration);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        // Open watches and hung requests end first, so Kestrel's graceful stop has nothing to wait for.
        await stopping.CancelAsync().ConfigureAwait(false);
        Faults.Clear();
        await ControllerManager.StopAsync().ConfigureAwait(false);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await app.StopAsync(deadline.Token).ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
        certificates.Dispose();
    }
}
