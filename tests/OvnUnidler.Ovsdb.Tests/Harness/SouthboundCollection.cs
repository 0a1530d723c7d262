namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>Tests that share one <see cref="SouthboundFixture"/> server; they run one at a time.</summary>
[CollectionDefinition(Name)]
public sealed class SouthboundCollection : ICollectionFixture<SouthboundFixture>
{
    public const string Name = "southbound";
}
