namespace OvnUnidler.KubernetesDouble.Storage;

// How a scalable names its pods, which decides Scale.status.selector.
internal enum ScaleSelectorStyle
{
    None,

    // apps/v1: spec.selector is a metav1.LabelSelector (matchLabels, matchExpressions).
    LabelSelector,

    // core/v1 ReplicationController and OpenShift DeploymentConfig: spec.selector is a plain map.
    LabelMap,

    // A custom resource: the CRD's subresources.scale names the paths (labelSelectorPath holds a selector string).
    CustomPaths,
}
