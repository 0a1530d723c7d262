using System.Net;
using k8s;
using k8s.Models;

namespace OvnUnidler.KubernetesDouble.Tests;

public sealed class EventTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Core_events_are_created_listed_by_field_and_counted_by_patch()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        await client.CoreV1.CreateNamespacedEventAsync(NeedPods("web"), "shop", cancellationToken: Ct);
        await client.CoreV1.CreateNamespacedEventAsync(NeedPods("api"), "shop", cancellationToken: Ct);

        var forWeb = await client.CoreV1.ListNamespacedEventAsync("shop", fieldSelector: "involvedObject.kind=Service,involvedObject.name=web,reason=NeedPods", cancellationToken: Ct);
        var name = Assert.Single(forWeb.Items).Metadata.Name;
        var patched = await client.CoreV1.PatchNamespacedEventAsync(new V1Patch("""{"count":2}""", V1Patch.PatchType.MergePatch), name, "shop", cancellationToken: Ct);

        Assert.Equal("The service web needs pods", forWeb.Items[0].Message);
        Assert.Equal(2, patched.Count);
    }

    [Fact]
    public async Task The_events_v1_api_shows_core_events_and_the_core_api_shows_events_v1_events()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var core = await client.CoreV1.CreateNamespacedEventAsync(NeedPods("web"), "shop", cancellationToken: Ct);
        var modern = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = "api." },
            EventTime = DateTime.UtcNow,
            ReportingController = "ovn-unidler",
            ReportingInstance = "ovn-unidler-0",
            Action = "Wake",
            Reason = "NeedPods",
            Type = "Normal",
            Note = "The service api needs pods",
            Regarding = new V1ObjectReference { Kind = "Service", Name = "api", NamespaceProperty = "shop", ApiVersion = "v1" },
        };
        var created = await client.EventsV1.CreateNamespacedEventAsync(modern, "shop", cancellationToken: Ct);

        var coreAsV1 = await client.EventsV1.ReadNamespacedEventAsync(core.Metadata.Name, "shop", cancellationToken: Ct);
        var v1AsCore = await client.CoreV1.ReadNamespacedEventAsync(created.Metadata.Name, "shop", cancellationToken: Ct);

        Assert.Equal("The service web needs pods", coreAsV1.Note);
        Assert.Equal("web", coreAsV1.Regarding.Name);
        Assert.Equal(1, coreAsV1.DeprecatedCount);
        Assert.Equal("The service api needs pods", v1AsCore.Message);
        Assert.Equal("api", v1AsCore.InvolvedObject.Name);
        Assert.Equal("ovn-unidler", v1AsCore.ReportingComponent);
    }

    [Fact]
    public async Task A_watch_on_events_v1_sees_core_events_in_its_own_representation()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var list = await client.EventsV1.ListNamespacedEventAsync("shop", cancellationToken: Ct);
        await using var watch = new WatchRecorder<Eventsv1Event>(
            token => client.EventsV1.WatchListNamespacedEventAsync("shop", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: token),
            Ct);

        await client.CoreV1.CreateNamespacedEventAsync(NeedPods("web"), "shop", cancellationToken: Ct);
        var (type, seen) = await watch.NextAsync(Ct);

        Assert.Equal(WatchEventType.Added, type);
        Assert.Equal("events.k8s.io/v1", seen.ApiVersion);
        Assert.Equal("The service web needs pods", seen.Note);
        Assert.Equal("web", seen.Regarding.Name);
    }

    [Fact]
    public async Task An_events_v1_event_without_reporting_controller_is_422()
    {
        await using var api = await DoubleWithNamespaces.StartAsync(cancellationToken: Ct);
        var client = api.CreateClient();
        var incomplete = new Eventsv1Event { Metadata = new V1ObjectMeta { Name = "x" }, EventTime = DateTime.UtcNow, Reason = "NeedPods", Type = "Normal" };

        await ApiFailures.ExpectStatusAsync(HttpStatusCode.UnprocessableEntity, "Invalid",
            () => client.EventsV1.CreateNamespacedEventAsync(incomplete, "shop", cancellationToken: Ct));
    }

    private static Corev1Event NeedPods(string service) => new()
    {
        Metadata = new V1ObjectMeta { GenerateName = service + "." },
        InvolvedObject = new V1ObjectReference { Kind = "Service", Name = service, NamespaceProperty = "shop", ApiVersion = "v1" },
        Reason = "NeedPods",
        Message = $"The service {service} needs pods",
        Type = "Normal",
        Count = 1,
        Source = new V1EventSource { Component = "ovn-unidler" },
        FirstTimestamp = DateTime.UtcNow,
        LastTimestamp = DateTime.UtcNow,
    };
}
