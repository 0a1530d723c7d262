using OvnUnidler.Ovsdb.Clustering;

namespace OvnUnidler.Ovsdb.Tests.Clustering;

public sealed class ClusterMembershipTests
{
    private const string Southbound = "OVN_Southbound";

    [Fact]
    public void Standalone_and_unknown_databases_are_always_usable()
    {
        var membership = new ClusterMembership(leaderOnly: true);

        Assert.Null(membership.Refusal([Row("standalone", connected: false, leader: false, index: null)], [Southbound, "OVN_Northbound"]));
    }

    [Fact]
    public void Member_not_connected_to_the_cluster_is_refused()
    {
        var refusal = new ClusterMembership(leaderOnly: false).Refusal([Row("clustered", connected: false, leader: false, index: 9)], [Southbound]);

        Assert.Equal("this member is not connected to the OVN_Southbound cluster", refusal);
    }

    [Fact]
    public void Follower_is_refused_only_when_the_leader_is_required()
    {
        var follower = Row("clustered", connected: true, leader: false, index: 9);

        Assert.Null(new ClusterMembership(leaderOnly: false).Refusal([follower], [Southbound]));
        Assert.Equal("this member is not the OVN_Southbound leader", new ClusterMembership(leaderOnly: true).Refusal([follower], [Southbound]));
    }

    [Fact]
    public void Member_behind_an_index_already_seen_is_refused_as_stale()
    {
        var membership = new ClusterMembership(leaderOnly: false);
        Assert.Null(membership.Refusal([Row("clustered", connected: true, leader: true, index: 120)], [Southbound]));

        var refusal = membership.Refusal([Row("clustered", connected: true, leader: false, index: 100)], [Southbound]);

        Assert.Equal("this member's OVN_Southbound log index 100 is behind index 120 already seen", refusal);
        Assert.Null(membership.Refusal([Row("clustered", connected: true, leader: false, index: 120)], [Southbound]));
    }

    private static ServerDatabaseRow Row(string model, bool connected, bool leader, long? index) =>
        new(Guid.NewGuid(), Southbound, model, connected, leader, index);
}
