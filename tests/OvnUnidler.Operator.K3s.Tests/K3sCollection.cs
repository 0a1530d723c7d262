namespace OvnUnidler.Operator.K3s.Tests;

[CollectionDefinition(Name)]
public sealed class K3sCollection : ICollectionFixture<K3sCluster>
{
    public const string Name = "k3s";
}
