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

    [Fact]
    public void Member_behind_with_a_new_cluster_id_is_accepted_as_a_cluster_created_anew()
    {
        var membership = new ClusterMembership(leaderOnly: false);
        var original = Guid.NewGuid();
        Assert.Null(membership.Refusal([Row("clustered", connected: true, leader: true, index: 120, cid: original)], [Southbound]));
        Assert.NotNull(membership.Refusal([Row("clustered", connected: true, leader: true, index: 5, cid: original)], [Southbound]));

        Assert.Null(membership.Refusal([Row("clustered", connected: true, leader: true, index: 5, cid: Guid.NewGuid())], [Southbound]));
    }

    [Fact]
    public void Member_behind_is_refused_until_an_explicit_reset_however_long_it_waits()
    {
        var membership = new ClusterMembership(leaderOnly: false);
        var cid = Guid.NewGuid();
        Assert.Null(membership.Refusal([Row("clustered", connected: true, leader: true, index: 120, cid: cid)], [Southbound]));
        var restored = Row("clustered", connected: true, leader: true, index: 7, cid: cid);
        Assert.NotNull(membership.Refusal([restored], [Southbound]));
        Assert.NotNull(membership.Refusal([restored], [Southbound]));

        membership.Reset();

        Assert.Null(membership.Refusal([restored], [Southbound]));
        Assert.NotNull(membership.Refusal([Row("clustered", connected: true, leader: true, index: 6, cid: cid)], [Southbound]));
    }

    private static ServerDatabaseRow Row(string model, bool connected, bool leader, long? index, Guid? cid = null) =>
        new(Guid.NewGuid(), Southbound, model, connected, leader, index, cid);
}
