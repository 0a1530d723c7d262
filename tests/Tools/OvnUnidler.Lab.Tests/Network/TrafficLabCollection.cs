namespace OvnUnidler.Lab.Tests.Network;

[CollectionDefinition(Name)]
public sealed class TrafficLabCollection : ICollectionFixture<TrafficLabFixture>
{
    public const string Name = "real-traffic lab";
}
