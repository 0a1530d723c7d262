using OvnUnidler.Lab;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

public sealed partial class CorpusRecorder
{
    /// <summary>
    /// A clustered Southbound (one Raft member): unlike a standalone server it keeps transaction
    /// history, so update3 carries real transaction ids, the _Server row has sid, cid and index, and a
    /// monitor_cond_since from a known transaction is answered with found=true and only what followed.
    /// </summary>
    private async Task RecordClusterAsync(LabDirectory lab, List<Seed> seeds, CancellationToken cancellationToken)
    {
        await using var cluster = await OvsdbCluster.StartAsync(
            lab.Combine("cluster"), OvnSchemas.Southbound, OvnTables.Southbound, memberCount: 1, cancellationToken).ConfigureAwait(false);
        var member = cluster.Members[0];
        await member.TransactAsync($$$"""
            ["OVN_Southbound", {{{Event(11, "10.96.2.1:80", "tcp", "[\"set\",[]]")}}}, {{{Event(12, "[fd00::2:1]:8080", "udp", "[\"set\",[]]")}}}]
            """, cancellationToken).ConfigureAwait(false);

        var resumeFrom = await ConverseAsync("cluster-since", member.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorServer, MonitorRequests.For(CallPlan.MonitorServer), cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.MonitorEventsSince, MonitorRequests.For(CallPlan.MonitorEventsSince), cancellationToken).ConfigureAwait(false);
            var inserted = await TransactAndWaitAsync(session, CallPlan.InsertEvents, CallPlan.EventsSince, Transaction(
                OvnTables.Southbound,
                Event(13, "10.96.2.2:80", "tcp", "[\"set\",[]]"),
                Event(14, "10.96.2.3:80", "tcp", "[\"set\",[]]"),
                Event(15, "10.96.2.4:5353", "udp", "[\"set\",[]]")), cancellationToken).ConfigureAwait(false);
            var deleted = await TransactAndWaitAsync(session, CallPlan.DeleteEvent, CallPlan.EventsSince, Transaction(
                OvnTables.Southbound, DeleteWhereUuid(OvnTables.ControllerEvent, InsertedUuid(inserted.Reply, 2))), cancellationToken).ConfigureAwait(false);
            return LastTransactionIdOf(deleted.Update);
        }, cancellationToken).ConfigureAwait(false);

        await member.TransactAsync($$$"""
            ["OVN_Southbound", {{{Event(16, "10.96.2.5:443", "tcp", "[\"set\",[]]")}}},
             {"op":"delete","table":"Controller_Event","where":[["seq_num","==",11]]}]
            """, cancellationToken).ConfigureAwait(false);
        await ConverseAsync("cluster-resume", member.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorEventsSince, MonitorRequests.For(CallPlan.MonitorEventsSince, resumeFrom), cancellationToken).ConfigureAwait(false);
            await TransactAndWaitAsync(session, CallPlan.DeleteEvent, CallPlan.EventsSince, Transaction(
                OvnTables.Southbound, """{"op":"delete","table":"Controller_Event","where":[["seq_num","==",12]]}"""), cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        await cluster.DisposeAsync().ConfigureAwait(false);
    }
}
