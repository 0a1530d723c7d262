using OvnUnidler.Idling.Annotations;
using OvnUnidler.Idling.Idle;
using OvnUnidler.Idling.Scaling;
using OvnUnidler.Idling.Tests.Fixtures;

namespace OvnUnidler.Idling.Tests.Inspection;

public sealed class IdleStatusReaderTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Status_shows_idled_at_and_each_targets_recorded_and_current_replicas()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct, runControllers: true);
        await cluster.CreateServiceAsync("web", "web");
        await cluster.CreateAsync(ScalableKind.Deployment, "web", "web", 3);
        await cluster.WaitForServingPodsAsync("web", 3);
        await cluster.Idler().IdleAsync(TestCluster.Namespace, "web", new IdleRequest(), ct).WaitAsync(Deadline, ct);

        var status = await cluster.Reader().ReadAsync(TestCluster.Namespace, "web", ct).WaitAsync(Deadline, ct);

        Assert.NotNull(status);
        Assert.True(status.IsIdled);
        Assert.Equal(TestCluster.Start, status.IdledAt);
        var target = Assert.Single(status.Targets);
        Assert.Equal(("Deployment/web", 3, (int?)0), (target.Target.ToString(), target.RecordedReplicas, target.CurrentReplicas));
    }

    [Fact]
    public async Task Listing_a_namespace_shows_idled_plain_and_broken_services()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);
        await cluster.CreateServiceAsync("plain", "plain");
        await cluster.CreateServiceAsync("broken", "broken", new Dictionary<string, string> { [IdleAnnotations.UnidleTargets] = "[" });
        await cluster.CreateServiceAsync("web", "web", new Dictionary<string, string>
        {
            [IdleAnnotations.IdledAt] = "2025-06-07T07:00:00Z",
            [IdleAnnotations.UnidleTargets] = """[{"kind":"Deployment","name":"gone","group":"apps","replicas":2}]""",
        });

        var statuses = await cluster.Reader().ListAsync(TestCluster.Namespace, ct).WaitAsync(Deadline, ct);

        Assert.Equal(
            [("broken", IdleRecordStatus.Invalid), ("plain", IdleRecordStatus.NotIdled), ("web", IdleRecordStatus.Parsed)],
            statuses.Where(status => status.Name != "kubernetes").Select(status => (status.Name, status.Record)));
        Assert.Contains("not valid JSON", statuses.Single(status => status.Name == "broken").Problem, StringComparison.Ordinal);
        var gone = Assert.Single(statuses.Single(status => status.Name == "web").Targets);
        Assert.Equal((null, "Deployment/gone does not exist"), (gone.CurrentReplicas, gone.Problem));
    }

    [Fact]
    public async Task A_missing_service_reads_as_null()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var cluster = await TestCluster.StartAsync(ct);

        Assert.Null(await cluster.Reader().ReadAsync(TestCluster.Namespace, "missing", ct).WaitAsync(Deadline, ct));
    }
}
