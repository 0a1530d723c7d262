using Microsoft.Extensions.DependencyInjection;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Controllers;
using OvnUnidler.Operator.Model;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Controllers;

public sealed class IdlerControllerTests
{
    [Fact]
    public async Task Desired_state_idled_idles_the_service_and_a_packet_wake_shows_in_the_status()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2, idled: false);
        var chassis = await environment.Southbound.AddChassisAsync("node-a");
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Idled);

        var idled = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            idler => idler.Status?.Phase == IdlerPhase.Idled, "the Idler to report Idled");
        Assert.Equal(0, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.NotNull(idled.Status!.IdledAt);
        Assert.Equal(idled.Metadata.Generation, idled.Status.ObservedGeneration);

        var row = await environment.Southbound.InsertEventAsync("10.96.0.10:80", chassis: chassis);

        var woken = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            idler => idler.Status?.WakeCount == 1, "the wake recorded in the Idler status");
        Assert.Equal(IdlerPhase.Active, woken.Status!.Phase);
        Assert.Equal(row.ToString(), woken.Status.LastEventRow);
        Assert.Equal(chassis.ToString(), woken.Status.LastEventChassis);
        Assert.NotNull(woken.Status.LastWakeLatency);
        Assert.NotNull(woken.Status.LastWakeTime);
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
    }

    [Fact]
    public async Task Recording_a_wake_asks_the_api_server_for_idlers_only_when_an_idler_names_the_service()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        await environment.Workloads.CreateAsync("shop", "api", "10.96.0.11", 80, replicas: 1, idled: false);
        var chassis = await environment.Southbound.AddChassisAsync("node-a");
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();
        await IdlerResources.CreateAsync(environment.Client, "shop", "api", IdlerDesiredState.Active);
        await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "api"),
            idler => idler.Status?.ObservedGeneration == idler.Metadata.Generation, "the Idler of api to be reconciled");
        await environment.Southbound.InsertEventAsync("10.96.0.10:80", chassis: chassis);
        var report = await Eventually.ValueAsync(() => Task.FromResult(unidler.Reports.All.FirstOrDefault(report => report.Service.Name == "web")),
            report => report is not null, "the wake of web to finish");
        var controller = unidler.Service<IdlerController>();
        var cancellationToken = TestContext.Current.CancellationToken;
        int IdlerLists() => environment.Api.Requests.Count(verb: "list", resource: "idlers", @namespace: "shop");
        var before = IdlerLists();

        await controller.RecordWakeAsync(report!, cancellationToken);
        var afterWeb = IdlerLists();
        await controller.RecordWakeAsync(report! with { Service = new ServiceKey("shop", "api") }, cancellationToken);

        Assert.Equal(before, afterWeb);
        Assert.Equal(afterWeb + 1, IdlerLists());
        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
    }

    [Fact]
    public async Task A_socket_error_that_http_client_does_not_wrap_is_retried_and_the_idler_is_still_reconciled()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        var socketErrors = new UnwrappedSocketErrors(request => request.RequestUri!.AbsolutePath.Contains("/idlers", StringComparison.Ordinal), times: 4);
        var client = new k8s.Kubernetes(environment.Api.ClientConfiguration, socketErrors);
        await using var unidler = await environment.StartOperatorAsync(
            configure: services => services.AddSingleton<k8s.IKubernetes>(client));

        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Active);

        var idler = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            value => value.Status?.ObservedGeneration == value.Metadata.Generation, "the Idler reconciled after the socket errors");
        Assert.True(socketErrors.Matched > 4, $"{socketErrors.Matched} requests for idlers");
        Assert.Equal(IdlerPhase.Active, idler.Status!.Phase);
        Assert.Equal(3, await environment.Workloads.ReplicasAsync("shop", "web"));
        Assert.True(unidler.Readiness.IsReady, "the operator still running and ready");
    }

    [Fact]
    public async Task Desired_state_active_wakes_an_idled_service()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 3);
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Active);

        await Eventually.TrueAsync(async () => await environment.Workloads.ReplicasAsync("shop", "web") == 3, "web woken by the Idler");
        var idler = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            value => value.Status?.Phase == IdlerPhase.Active && value.Status.WakeCount == 1, "the Idler to report Active");
        Assert.DoesNotContain(IdledWorkloads.IdledAt, (await environment.Workloads.AnnotationsAsync("shop", "web")).Keys);
        Assert.Null(idler.Status!.Message);
    }

    [Fact]
    public async Task An_idler_for_a_missing_service_says_so_in_its_status()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.CreateNamespaceAsync("shop");
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();

        await IdlerResources.CreateAsync(environment.Client, "shop", "ghost", IdlerDesiredState.Idled);

        var idler = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "ghost"),
            value => value.Status?.Message is not null, "the Idler status to explain");
        Assert.Contains("does not exist", idler.Status!.Message, StringComparison.Ordinal);
        Assert.Null(idler.Status.Phase);
    }
}
