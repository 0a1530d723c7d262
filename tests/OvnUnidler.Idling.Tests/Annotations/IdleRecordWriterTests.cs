using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Tests.Annotations;

public sealed class IdleRecordWriterTests
{
    private static IdleTarget Recorded(ScalableKind kind, string name, int replicas) => IdleTarget.Create(kind, name, replicas);

    [Fact]
    public void Targets_are_written_as_oc_idle_writes_them()
    {
        var json = IdleRecordWriter.SerializeTargets(
        [
            IdleTarget.Create(ScalableKind.Deployment, "web", 3),
            IdleTarget.Create(ScalableKind.ReplicationController, "legacy-1", 2),
            IdleTarget.Create(ScalableKind.DeploymentConfig, "dc", 1),
            new IdleTarget(ScalableKind.Deployment, "old", 4) { ApiVersion = "extensions/v1beta1" },
        ]);

        Assert.Equal(
            """[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"ReplicationController","name":"legacy-1","replicas":2},{"kind":"DeploymentConfig","name":"dc","group":"apps.openshift.io","replicas":1},{"kind":"Deployment","name":"old","apiVersion":"extensions/v1beta1","replicas":4}]""",
            json);
    }

    [Fact]
    public void Written_targets_read_back_unchanged()
    {
        IdleTarget[] targets = [IdleTarget.Create(ScalableKind.StatefulSet, "db", 2), IdleTarget.Create(ScalableKind.ReplicaSet, "rs", 5)];

        var record = IdleRecordParser.Parse(new Dictionary<string, string> { [IdleAnnotations.UnidleTargets] = IdleRecordWriter.SerializeTargets(targets) }).Record!;

        Assert.Equal(targets, record.Targets);
    }

    [Fact]
    public void First_idle_records_each_target_with_its_current_replicas()
    {
        var merged = IdleRecordWriter.Merge([], [new ObservedTarget(ScalableKind.Deployment, "web", 3), new ObservedTarget(ScalableKind.StatefulSet, "db", 2)]);

        Assert.Equal([("web", 3), ("db", 2)], merged.Select(target => (target.Name, target.Replicas)));
        Assert.Equal("apps", merged[0].Group);
    }

    [Fact]
    public void Idling_twice_keeps_the_counts_recorded_the_first_time()
    {
        var first = IdleRecordWriter.Merge([], [new ObservedTarget(ScalableKind.Deployment, "web", 3)]);

        var second = IdleRecordWriter.Merge(first, [new ObservedTarget(ScalableKind.Deployment, "web", 0)]);

        Assert.Equal(3, Assert.Single(second).Replicas);
    }

    [Fact]
    public void A_running_target_records_its_new_count_over_the_old_one()
    {
        var merged = IdleRecordWriter.Merge([Recorded(ScalableKind.Deployment, "web", 3)], [new ObservedTarget(ScalableKind.Deployment, "web", 5)]);

        Assert.Equal(5, Assert.Single(merged).Replicas);
    }

    [Fact]
    public void Zero_replicas_with_nothing_recorded_is_written_as_one()
    {
        var merged = IdleRecordWriter.Merge([], [new ObservedTarget(ScalableKind.Deployment, "web", 0)]);

        Assert.Equal(1, Assert.Single(merged).Replicas);
    }

    [Fact]
    public void Recorded_targets_not_seen_now_stay_listed_after_the_seen_ones()
    {
        var merged = IdleRecordWriter.Merge(
            [Recorded(ScalableKind.DeploymentConfig, "gone", 2), Recorded(ScalableKind.Deployment, "web", 3)],
            [new ObservedTarget(ScalableKind.Deployment, "web", 0), new ObservedTarget(ScalableKind.Deployment, "api", 4)]);

        Assert.Equal([("web", 3), ("api", 4), ("gone", 2)], merged.Select(target => (target.Name, target.Replicas)));
    }

    [Fact]
    public void Replicas_the_user_asked_for_win_over_current_and_recorded_counts()
    {
        var merged = IdleRecordWriter.Merge(
            [Recorded(ScalableKind.Deployment, "web", 3)],
            [new ObservedTarget(ScalableKind.Deployment, "web", 5) { RequestedReplicas = 2 }]);

        Assert.Equal(2, Assert.Single(merged).Replicas);
    }

    [Fact]
    public void Service_annotations_record_targets_and_a_utc_rfc3339_idled_at_and_drop_unidled_at()
    {
        var now = new DateTimeOffset(2024, 5, 6, 9, 8, 9, 567, TimeSpan.FromHours(2));

        var annotations = IdleRecordWriter.ServiceAnnotations([IdleTarget.Create(ScalableKind.Deployment, "web", 3)], now);

        Assert.Equal("2024-05-06T07:08:09Z", annotations[IdleAnnotations.IdledAt]);
        Assert.Equal("""[{"kind":"Deployment","name":"web","group":"apps","replicas":3}]""", annotations[IdleAnnotations.UnidleTargets]);
        Assert.True(annotations.ContainsKey(IdleAnnotations.OvnUnidledAt));
        Assert.Null(annotations[IdleAnnotations.OvnUnidledAt]);
    }

    [Fact]
    public void Scalable_annotations_carry_previous_scale_and_idled_at()
    {
        var annotations = IdleRecordWriter.ScalableAnnotations(4, new DateTimeOffset(2024, 1, 2, 3, 4, 5, TimeSpan.Zero));

        Assert.Equal("4", annotations[IdleAnnotations.PreviousScale]);
        Assert.Equal("2024-01-02T03:04:05Z", annotations[IdleAnnotations.IdledAt]);
    }
}
