using Microsoft.Extensions.Logging.Abstractions;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Controllers;
using OvnUnidler.Operator.LeaderElection;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Controllers;

public sealed class EntityControllerRunnerTests
{
    [Fact]
    public async Task A_requeue_whose_read_of_the_object_fails_is_tried_again_until_the_object_is_reconciled_again()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.EnsureNamespaceAsync("shop");
        await IdlerResources.CreateAsync(environment.Client, "shop", "web", IdlerDesiredState.Active);
        var socketErrors = new UnwrappedSocketErrors(
            request => request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith("/idlers/web", StringComparison.Ordinal), times: 3);
        using var client = new k8s.Kubernetes(environment.Api.ClientConfiguration, socketErrors);
        var controller = new RequeueOnceController();
        var availability = new CustomResourceAvailability<V1Alpha1Idler>();
        availability.Report(true);
        using var runner = new EntityControllerRunner<V1Alpha1Idler>(
            client, controller, new ControllerLeadership(new AlwaysLeading()), [], availability, TimeProvider.System,
            NullLogger<EntityControllerRunner<V1Alpha1Idler>>.Instance);

        await runner.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            // Nothing changes the Idler, so no watch event brings it back: only the requeue can.
            await Eventually.TrueAsync(() => controller.Reconciles >= 2, $"the requeued Idler reconciled again");
        }
        finally
        {
            await runner.StopAsync(CancellationToken.None);
        }

        Assert.Equal(4, socketErrors.Matched);
        Assert.Equal(2, controller.Reconciles);
    }

    /// <summary>Asks for one requeue, 50 ms after the first reconcile, and none after.</summary>
    private sealed class RequeueOnceController : IEntityController<V1Alpha1Idler>
    {
        private int reconciles;

        public int Reconciles => Volatile.Read(ref reconciles);

        public Task<ReconciliationResult<V1Alpha1Idler>> ReconcileAsync(V1Alpha1Idler entity, CancellationToken cancellationToken) =>
            Task.FromResult(Interlocked.Increment(ref reconciles) == 1
                ? ReconciliationResult<V1Alpha1Idler>.Success(entity, TimeSpan.FromMilliseconds(50))
                : ReconciliationResult<V1Alpha1Idler>.Success(entity));

        public Task<ReconciliationResult<V1Alpha1Idler>> DeletedAsync(V1Alpha1Idler entity, CancellationToken cancellationToken) =>
            Task.FromResult(ReconciliationResult<V1Alpha1Idler>.Success(entity));
    }
}
