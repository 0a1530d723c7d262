using System.Text.Json.Nodes;
using k8s;

namespace OvnUnidler.Entities.Tests;

public sealed class IdlerSerializationTests
{
    [Fact]
    public void Idler_round_trips_through_kubernetes_json()
    {
        var idledAt = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        var idler = new V1Alpha1Idler
        {
            Metadata = new() { Name = "web", NamespaceProperty = "shop", Generation = 3 },
            Spec = new V1Alpha1IdlerSpec
            {
                ServiceName = "web",
                DesiredState = IdlerDesiredState.Idled,
                Targets = [new IdlerTarget { Kind = IdlerTargetKind.DeploymentConfig, Name = "web", Group = "apps.openshift.io", Replicas = 2 }],
            },
            Status = new V1Alpha1IdlerStatus
            {
                Phase = IdlerPhase.Waking,
                IdledAt = idledAt,
                LastWakeTime = idledAt.AddMinutes(5),
                WakeCount = 4,
                LastWakeLatency = "1.25s",
                LastEventChassis = "hv1",
                LastEventRow = "6e5c36ac-8a1e-4e54-9d6c-4c2b1f1d2b3a",
                ObservedGeneration = 3,
                Message = "scaling up",
                LastHold = new IdlerHold
                {
                    Held = 3, StartedAt = idledAt.AddMinutes(5), Duration = "8.2s", End = IdlerHoldEnd.Drained, Connections = 2, Flows = 1, HandedToPods = 2,
                    Reset = 1, ResetReasons = new Dictionary<string, int> { ["service_limit"] = 1 }, Dropped = 0, KeptDatagrams = 2,
                },
                Conditions = [new IdlerCondition { Type = "Idled", Status = ConditionStatus.False, Reason = "Woken", Message = "woken by traffic", LastTransitionTime = idledAt.AddMinutes(5), ObservedGeneration = 3 }],
            },
        };

        var json = KubernetesJson.Serialize(idler);
        var back = KubernetesJson.Deserialize<V1Alpha1Idler>(json);

        Assert.Equal("unidler.ovn.org/v1alpha1", back.ApiVersion);
        Assert.Equal("Idler", back.Kind);
        Assert.Equal("shop", back.Metadata.NamespaceProperty);
        Assert.Equal(IdlerDesiredState.Idled, back.Spec.DesiredState);
        var target = Assert.Single(back.Spec.Targets!);
        Assert.Equal((IdlerTargetKind.DeploymentConfig, "web", "apps.openshift.io", 2), (target.Kind, target.Name, target.Group, target.Replicas));
        Assert.Equal(IdlerPhase.Waking, back.Status.Phase);
        Assert.Equal(idledAt, back.Status.IdledAt);
        Assert.Equal(idledAt.AddMinutes(5), back.Status.LastWakeTime);
        Assert.Equal(4, back.Status.WakeCount);
        Assert.Equal("1.25s", back.Status.LastWakeLatency);
        Assert.Equal(("hv1", "6e5c36ac-8a1e-4e54-9d6c-4c2b1f1d2b3a"), (back.Status.LastEventChassis, back.Status.LastEventRow));
        Assert.Equal((3, IdlerHoldEnd.Drained, "8.2s", 2, 1), (back.Status.LastHold!.Held, back.Status.LastHold.End, back.Status.LastHold.Duration, back.Status.LastHold.HandedToPods, back.Status.LastHold.ResetReasons!["service_limit"]));
        Assert.Contains("\"end\":\"Drained\"", json, StringComparison.Ordinal);
        var condition = Assert.Single(back.Status.Conditions!);
        Assert.Equal((ConditionStatus.False, "Woken", idledAt.AddMinutes(5)), (condition.Status, condition.Reason, condition.LastTransitionTime));
        Assert.Equal(json, KubernetesJson.Serialize(back));
    }

    [Fact]
    public void Enums_are_written_as_their_names_and_absent_fields_are_left_out()
    {
        var idler = new V1Alpha1Idler { Metadata = new() { Name = "web" }, Spec = new V1Alpha1IdlerSpec { ServiceName = "web" } };
        idler.Status.Phase = IdlerPhase.Idled;

        var json = JsonNode.Parse(KubernetesJson.Serialize(idler))!;

        Assert.Equal("Active", json["spec"]!["desiredState"]!.GetValue<string>());
        Assert.Equal("Idled", json["status"]!["phase"]!.GetValue<string>());
        Assert.Null(json["spec"]!["targets"]);
        Assert.Null(json["status"]!["lastWakeTime"]);
    }

    [Fact]
    public void An_idler_written_by_a_user_reads_with_defaults()
    {
        var idler = KubernetesJson.Deserialize<V1Alpha1Idler>("""{"apiVersion":"unidler.ovn.org/v1alpha1","kind":"Idler","metadata":{"name":"web"},"spec":{"serviceName":"web"}}""");

        Assert.Equal(IdlerDesiredState.Active, idler.Spec.DesiredState);
        Assert.Null(idler.Spec.Targets);
    }
}
