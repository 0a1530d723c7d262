using OvnUnidler.KubernetesDouble.Faults;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Faults;

public sealed class ApiServerFaultTests
{
    [Fact]
    public async Task Conflicts_throttling_server_errors_and_timeouts_delay_wakes_but_never_double_them()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        var scenario = new FaultScenario(environment, idledServices: 8);
        await scenario.CreateAsync();
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?>
        {
            ["Idling:RequestTimeout"] = "00:00:00.500",
            ["Unidler:WakeMaxAttempts"] = "100",
        });
        await unidler.WaitUntilReadyAsync();
        var faults = environment.Api.Faults;
        var rules = new[]
        {
            faults.Add(new FaultRule { Verb = "update", Resource = "deployments", Subresource = "scale", StatusCode = 409, Times = 4 }),
            faults.Add(new FaultRule { Verb = "get", Resource = "deployments", Subresource = "scale", StatusCode = 429, RetryAfter = TimeSpan.FromMilliseconds(300), Times = 4 }),
            faults.Add(new FaultRule { Verb = "patch", Resource = "services", StatusCode = 500, Times = 4 }),
            faults.Add(new FaultRule { Verb = "get", Resource = "services", Hang = true, Times = 2 }),
            faults.Add(new FaultRule { Verb = "create", Resource = "events", StatusCode = 503, Times = 3 }),
        };

        await environment.Southbound.InsertEventsAsync(scenario.Burst(perService: 5, seed: 17));

        await scenario.AssertEveryIdledServiceWokenOnceAndNoRowLeftAsync();
        Assert.All(rules.Take(3), rule => Assert.Equal(4, rule.Hits));
        Assert.True(environment.Api.Requests.Count(verb: "get", resource: "deployments", subresource: "scale", statusCode: 429) == 4);
        foreach (var (name, _) in scenario.Idled)
        {
            var annotations = await environment.Workloads.AnnotationsAsync(FaultScenario.Namespace, name);
            Assert.DoesNotContain(IdledWorkloads.IdledAt, annotations.Keys);
        }
    }
}
