namespace OvnUnidler.EndToEnd.Tests.RealTraffic;

[CollectionDefinition(Name)]
public sealed class RealTrafficCollection : ICollectionFixture<RealTrafficFixture>
{
    public const string Name = "real traffic";
}
