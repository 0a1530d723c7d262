using k8s;
using k8s.Models;

namespace OvnUnidler.Operator.Controllers;

/// <summary>Explicit outcome of a reconcile: done, requeue after a delay, or failed with a reason.</summary>
public sealed record ReconciliationResult<TEntity>(TEntity Entity, bool IsSuccess, string? ErrorMessage, TimeSpan? RequeueAfter)
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    public static ReconciliationResult<TEntity> Success(TEntity entity, TimeSpan? requeueAfter = null) => new(entity, true, null, requeueAfter);

    public static ReconciliationResult<TEntity> Failure(TEntity entity, string errorMessage, TimeSpan? requeueAfter = null) =>
        new(entity, false, errorMessage, requeueAfter);
}
