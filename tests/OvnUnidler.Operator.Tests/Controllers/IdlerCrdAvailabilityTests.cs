using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using OvnUnidler.Entities;
using OvnUnidler.KubernetesDouble;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Controllers;

public sealed class IdlerCrdAvailabilityTests
{
    [Fact]
    public async Task Without_the_idler_crd_wakes_log_one_warning_and_no_error_and_installing_it_later_turns_the_idler_features_on()
    {
        await using var environment = await OperatorEnvironment.StartAsync(withCustomResourceDefinitions: false);
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 2);
        var chassis = await environment.Southbound.AddChassisAsync("node-a");
        var logs = new RecordingLoggerProvider();
        await using var unidler = await environment.StartOperatorAsync(
            new Dictionary<string, string?> { ["Unidler:IdlerCrdProbeInterval"] = "00:00:00.200" }, logs: logs);
        await unidler.WaitUntilReadyAsync();

        await environment.Southbound.InsertEventAsync("10.96.0.10:80", chassis: chassis);
        await Eventually.TrueAsync(() => unidler.Reports.All.Any(report => report.Service.Name == "web"), "the wake of web to finish");
        await Eventually.TrueAsync(
            () => environment.Api.Requests.Snapshot().Count(request => request.Path == "/apis/unidler.ovn.org/v1alpha1/idlers" && request.StatusCode == 404) >= 3,
            "the probe to ask three times");

        Assert.Equal(2, await environment.Workloads.ReplicasAsync("shop", "web"));
        var missing = Assert.Single(logs.Entries, entry => entry.EventId.Id == EventIds.CustomResourceMissing);
        Assert.Equal(LogLevel.Warning, missing.Level);
        Assert.Contains("idlers.unidler.ovn.org", missing.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Error || entry.Exception is not null);
        Assert.Equal(0, environment.Api.Requests.Count(verb: "list", resource: "idlers", @namespace: "shop"));

        await InstallIdlerCrdAsync(environment.Client);

        await Eventually.TrueAsync(() => logs.Entries.Any(entry => entry.EventId.Id == EventIds.CustomResourceServed && entry.Level == LogLevel.Information),
            "the operator to notice the CRD");
        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Idled);
        await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            idler => idler.Status?.Phase == IdlerPhase.Idled, "the Idler controller to idle web");
        await environment.Southbound.InsertEventAsync("10.96.0.10:80", chassis: chassis);
        var woken = await Eventually.ValueAsync(() => IdlerResources.ReadAsync(environment.Client, "shop", "web"),
            idler => idler.Status?.WakeCount == 1, "the wake recorded in the Idler status");

        Assert.Equal(IdlerPhase.Active, woken.Status!.Phase);
        Assert.Single(logs.Entries, entry => entry.EventId.Id == EventIds.CustomResourceMissing);
        Assert.DoesNotContain(logs.Entries, entry => entry.Level >= LogLevel.Error);
    }

    private static Task InstallIdlerCrdAsync(IKubernetes client) =>
        client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
            KubernetesYaml.Deserialize<V1CustomResourceDefinition>(File.ReadAllText(Repository.Combine("crds", "idlers.unidler.ovn.org.yaml"))),
            cancellationToken: TestContext.Current.CancellationToken);
}
