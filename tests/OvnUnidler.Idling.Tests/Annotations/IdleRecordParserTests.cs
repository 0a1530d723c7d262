using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Scaling;

namespace OvnUnidler.Idling.Tests.Annotations;

public sealed class IdleRecordParserTests
{
    private static IdleRecordParseResult ParseTargets(string value) =>
        IdleRecordParser.Parse(new Dictionary<string, string>
        {
            [IdleAnnotations.IdledAt] = "2024-05-06T07:08:09Z",
            [IdleAnnotations.UnidleTargets] = value,
        });

    private static string InvalidReason(string value)
    {
        var result = ParseTargets(value);
        Assert.Equal(IdleRecordStatus.Invalid, result.Status);
        Assert.Null(result.Record);
        return result.Reason!;
    }

    [Fact]
    public void Service_without_idle_annotations_is_not_idled()
    {
        Assert.Equal(IdleRecordStatus.NotIdled, IdleRecordParser.Parse(null).Status);
        Assert.Equal(IdleRecordStatus.NotIdled, IdleRecordParser.Parse(new Dictionary<string, string> { ["app"] = "web", [IdleAnnotations.OvnUnidledAt] = "2024-05-06T07:08:09Z" }).Status);
    }

    [Fact]
    public void OpenShift_record_reads_targets_and_idled_at()
    {
        var result = ParseTargets("""[{"kind":"Deployment","name":"web","group":"apps","replicas":3},{"kind":"ReplicationController","name":"legacy-1","replicas":2}]""");

        var record = Assert.IsType<IdleRecord>(result.Record);
        Assert.Equal(IdleRecordStatus.Parsed, result.Status);
        Assert.True(record.HasTargetsAnnotation);
        Assert.Equal([IdleAnnotations.IdledAt], record.IdledAtKeys);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero), record.IdledAt);
        Assert.Equal(
            [(ScalableKind.Deployment, "web", 3), (ScalableKind.ReplicationController, "legacy-1", 2)],
            record.Targets.Select(target => (target.Scalable, target.Name, target.Replicas)));
        Assert.Empty(record.Notes);
    }

    [Fact]
    public void Ovn_kubernetes_idled_at_alone_marks_the_service_idled_without_targets()
    {
        var result = IdleRecordParser.Parse(new Dictionary<string, string> { [IdleAnnotations.OvnIdledAt] = "2023-01-01T13:14:15Z" });

        var record = Assert.IsType<IdleRecord>(result.Record);
        Assert.False(record.HasTargetsAnnotation);
        Assert.Empty(record.Targets);
        Assert.Equal([IdleAnnotations.OvnIdledAt], record.IdledAtKeys);
        Assert.Equal("2023-01-01T13:14:15Z", record.IdledAtValue);
    }

    [Fact]
    public void Any_key_ending_in_idled_at_counts_and_openshifts_value_is_preferred()
    {
        var result = IdleRecordParser.Parse(new Dictionary<string, string>
        {
            ["example.com/idled-at"] = "2020-01-01T00:00:00Z",
            [IdleAnnotations.OvnIdledAt] = "2021-01-01T00:00:00Z",
            [IdleAnnotations.IdledAt] = "2022-01-01T00:00:00Z",
        });

        Assert.Equal(["example.com/idled-at", IdleAnnotations.IdledAt, IdleAnnotations.OvnIdledAt], result.Record!.IdledAtKeys);
        Assert.Equal("2022-01-01T00:00:00Z", result.Record.IdledAtValue);
    }

    [Fact]
    public void Unreadable_idled_at_still_means_idled_because_no_decision_uses_the_time()
    {
        var result = IdleRecordParser.Parse(new Dictionary<string, string>
        {
            [IdleAnnotations.IdledAt] = "yesterday",
            [IdleAnnotations.UnidleTargets] = """[{"kind":"Deployment","name":"web","replicas":1}]""",
        });

        Assert.Equal(IdleRecordStatus.Parsed, result.Status);
        Assert.Null(result.Record!.IdledAt);
    }

    [Fact]
    public void Unidle_targets_without_idled_at_is_still_an_idle_record()
    {
        var result = IdleRecordParser.Parse(new Dictionary<string, string> { [IdleAnnotations.UnidleTargets] = """[{"kind":"StatefulSet","name":"db","replicas":1}]""" });

        Assert.Equal(IdleRecordStatus.Parsed, result.Status);
        Assert.Empty(result.Record!.IdledAtKeys);
        Assert.Equal(ScalableKind.StatefulSet, Assert.Single(result.Record.Targets).Scalable);
    }

    [Theory]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":3}""")]
    [InlineData("""[{"kind":"Deployment",,}]""")]
    [InlineData("")]
    [InlineData("not json")]
    public void Broken_json_is_invalid_and_says_so(string value)
    {
        Assert.StartsWith($"{IdleAnnotations.UnidleTargets} is not valid JSON", InvalidReason(value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"kind":"Deployment","name":"web","replicas":3}""", "is a JSON object, not a list of targets")]
    [InlineData("\"web\"", "is a JSON string, not a list of targets")]
    [InlineData("null", "is a JSON null, not a list of targets")]
    [InlineData("[]", "lists no targets")]
    [InlineData("""["Deployment/web"]""", "[0] is a JSON string, not an object")]
    public void A_value_that_is_not_a_list_of_target_objects_is_invalid(string value, string expected)
    {
        Assert.Contains(expected, InvalidReason(value), StringComparison.Ordinal);
    }

    // Whether the server scales a kind is the wake's question, target by target: a record never
    // fails as a whole for one kind (OpenShift's controller wakes the others too).
    [Theory]
    [InlineData("""[{"kind":"Rollout","name":"web","group":"argoproj.io","replicas":2}]""", "Rollout", "argoproj.io")]
    [InlineData("""[{"kind":"Rollout","name":"web","apiVersion":"argoproj.io/v1alpha1","replicas":2}]""", "Rollout", "argoproj.io")]
    [InlineData("""[{"kind":"CronJob","name":"web","replicas":2}]""", "CronJob", "")]
    [InlineData("""[{"kind":"ReplicationController","name":"web","group":"apps","replicas":2}]""", "ReplicationController", "apps")]
    [InlineData("""[{"kind":"Deployment","name":"web","apiVersion":"apps.openshift.io/v1","replicas":2}]""", "Deployment", "apps.openshift.io")]
    public void Any_kind_is_read_with_its_group_and_left_to_the_wake_to_resolve(string value, string kind, string group)
    {
        var result = ParseTargets(value);

        Assert.Equal(IdleRecordStatus.Parsed, result.Status);
        var target = Assert.Single(result.Record!.Targets);
        Assert.Equal((kind, group, "web", 2), (target.Scalable.Kind, target.Scalable.Group, target.Name, target.Replicas));
    }

    [Theory]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":-2}]""", "[0] (Deployment/web) has replicas -2; replicas cannot be negative")]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":1.5}]""", "has replicas 1.5, which is not a whole number")]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":"3"}]""", "has replicas \"3\", which is not a whole number")]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":3000000000}]""", "more than a scale subresource holds")]
    public void Replicas_that_are_not_a_count_are_invalid(string value, string expected)
    {
        Assert.Contains(expected, InvalidReason(value), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[{"kind":"Deployment","replicas":1}]""", "[0] (Deployment) has no name")]
    [InlineData("""[{"kind":"Deployment","name":"","replicas":1}]""", "[0] (Deployment) has no name")]
    [InlineData("""[{"kind":"Deployment","name":"ok","replicas":1},{"name":"web","replicas":1}]""", "[1] has no kind")]
    [InlineData("""[{"kind":7,"name":"web","replicas":1}]""", "[0] has kind 7, which is not a string")]
    [InlineData("""[{"kind":"Deployment","name":["web"],"replicas":1}]""", "[0] has name [\"web\"], which is not a string")]
    public void Missing_or_mistyped_names_and_kinds_are_invalid(string value, string expected)
    {
        Assert.Contains(expected, InvalidReason(value), StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_targets_merge_into_one_with_the_larger_count()
    {
        var result = ParseTargets("""[{"kind":"Deployment","name":"web","group":"apps","replicas":2},{"kind":"Deployment","name":"api","replicas":1},{"kind":"Deployment","name":"web","replicas":5}]""");

        var record = result.Record!;
        Assert.Equal([("web", 5), ("api", 1)], record.Targets.Select(target => (target.Name, target.Replicas)));
        Assert.Equal("apps", record.Targets[0].Group);
        Assert.Contains(record.Notes, note => note.Contains("Deployment/web is listed more than once; it wakes once with 5 replicas", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":0}]""")]
    [InlineData("""[{"kind":"Deployment","name":"web"}]""")]
    [InlineData("""[{"kind":"Deployment","name":"web","replicas":null}]""")]
    public void Zero_or_missing_replicas_wake_with_one_as_oc_records_it(string value)
    {
        var record = ParseTargets(value).Record!;

        Assert.Equal(1, Assert.Single(record.Targets).Replicas);
        Assert.Contains(record.Notes, note => note.Contains("records 0 replicas; it wakes with 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Legacy_groups_and_api_versions_resolve_to_the_kind()
    {
        var record = ParseTargets("""
            [{"kind":"DeploymentConfig","name":"dc","replicas":2},
             {"kind":"DeploymentConfig","name":"dc2","apiVersion":"v1","replicas":2},
             {"kind":"Deployment","name":"old","apiVersion":"extensions/v1beta1","replicas":2},
             {"kind":"ReplicaSet","name":"rs","group":"extensions","replicas":2},
             {"kind":"StatefulSet","name":"db","apiVersion":"apps/v1","replicas":2}]
            """).Record!;

        Assert.Equal(
            [ScalableKind.DeploymentConfig, ScalableKind.DeploymentConfig, ScalableKind.Deployment, ScalableKind.ReplicaSet, ScalableKind.StatefulSet],
            record.Targets.Select(target => target.Scalable));
        Assert.Equal("extensions/v1beta1", record.Targets[2].ApiVersion);
    }

    [Fact]
    public void Unknown_fields_in_a_target_are_ignored()
    {
        var record = ParseTargets("""[{"kind":"Deployment","name":"web","replicas":2,"note":"by hand"}]""").Record!;

        Assert.Equal(2, Assert.Single(record.Targets).Replicas);
    }

    [Theory]
    [InlineData("3", 3)]
    [InlineData("0", 0)]
    [InlineData("-1", null)]
    [InlineData(" 3", null)]
    [InlineData("three", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Previous_scale_reads_a_decimal_count(string? value, int? expected)
    {
        Assert.Equal(expected, IdleRecordParser.ParsePreviousScale(value));
    }
}
