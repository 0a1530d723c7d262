namespace OvnUnidler.KubernetesDouble.Selection;

internal enum LabelOperator
{
    Exists,
    DoesNotExist,
    Equals,
    NotEquals,
    In,
    NotIn,
    GreaterThan,
    LessThan,
}
