using k8s;
using k8s.Models;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// One reconciler per entity, in KubeOps' shape (KubeOps.Abstractions IEntityController), so that
/// moving to KubeOps once its packages can be restored is a change of base types, not of logic.
/// </summary>
public interface IEntityController<TEntity>
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    Task<ReconciliationResult<TEntity>> ReconcileAsync(TEntity entity, CancellationToken cancellationToken);

    Task<ReconciliationResult<TEntity>> DeletedAsync(TEntity entity, CancellationToken cancellationToken);
}
