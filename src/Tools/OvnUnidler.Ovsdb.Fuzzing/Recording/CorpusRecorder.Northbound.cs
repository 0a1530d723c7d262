using OvnUnidler.Lab.Databases;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Ovn;

namespace OvnUnidler.Ovsdb.Fuzzing.Recording;

public sealed partial class CorpusRecorder
{
    private async Task RecordNorthboundAsync(OvsdbServer server, List<Seed> seeds, CancellationToken cancellationToken)
    {
        // Idled Services as ovn-kubernetes writes them: VIPs with no backends, the owner in external_ids.
        await server.TransactAsync($$"""
            ["OVN_Northbound", {{Balancer("default", "web", "tcp", "10.96.0.10:80")}}, {{Balancer("default", "dns", "udp", "[fd00::a]:53")}}]
            """, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("nb-handshake", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.ListDatabases, [], cancellationToken).ConfigureAwait(false);
            await session.CallAsync(CallPlan.NorthboundSchema, [OvnTables.Northbound], cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("nb-since", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorBalancersSince, MonitorRequests.For(CallPlan.MonitorBalancersSince), cancellationToken).ConfigureAwait(false);
            await TransactAndWaitAsync(session, CallPlan.InsertBalancers, CallPlan.BalancersSince, Transaction(
                OvnTables.Northbound,
                Balancer("shop", "cart", "tcp", "172.30.1.1:8080"),
                Balancer("shop", "pay", "sctp", "172.30.1.2:9000"),
                Balancer("kube-system", "metrics", "tcp", "[fd00::1:2]:443")), cancellationToken).ConfigureAwait(false);
            await ChangeBalancersAsync(session, CallPlan.BalancersSince, "default/web_TCP", "10.96.0.10", "default/dns_UDP", cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);

        await ConverseAsync("nb-cond", server.UnixRemote, seeds, async session =>
        {
            await session.CallAsync(CallPlan.MonitorBalancersCond, MonitorRequests.For(CallPlan.MonitorBalancersCond), cancellationToken).ConfigureAwait(false);
            await ChangeBalancersAsync(session, CallPlan.BalancersCond, "shop/cart_TCP", "172.30.1.1", "shop/pay_SCTP", cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wake as the NB sees it: backends and a protocol change (modify with map and optional-set diffs), an owner key added, a balancer deleted.</summary>
    private static async Task ChangeBalancersAsync(
        RawSession session, string monitorId, string woken, string vip, string gone, CancellationToken cancellationToken)
    {
        await TransactAndWaitAsync(session, CallPlan.UpdateVips, monitorId, Transaction(OvnTables.Northbound, $$$"""
            {"op":"update","table":"Load_Balancer","where":[["name","==","Service_{{{woken}}}_cluster"]],
             "row":{"vips":["map",[["{{{vip}}}:80","10.128.0.5:8080,10.128.1.7:8080"],["{{{vip}}}:443",""]]],"protocol":["set",["udp"]]}}
            """), cancellationToken).ConfigureAwait(false);
        await TransactAndWaitAsync(session, CallPlan.MutateExternalIds, monitorId, Transaction(OvnTables.Northbound, $$$"""
            {"op":"mutate","table":"Load_Balancer","where":[["name","==","Service_{{{gone}}}_cluster"]],
             "mutations":[["external_ids","insert",["map",[["k8s.ovn.org/unidled-at","2024-05-01T10:00:00Z"]]]],["options","delete",["set",["event"]]]]}
            """), cancellationToken).ConfigureAwait(false);
        await TransactAndWaitAsync(session, CallPlan.DeleteBalancer, monitorId, Transaction(OvnTables.Northbound, $$$"""
            {"op":"delete","table":"Load_Balancer","where":[["name","==","Service_{{{gone}}}_cluster"]]}
            """), cancellationToken).ConfigureAwait(false);
    }

    private static string Balancer(string space, string name, string protocol, string vip) => $$$"""
        {"op":"insert","table":"Load_Balancer","row":{"name":"Service_{{{space}}}/{{{name}}}_{{{protocol.ToUpperInvariant()}}}_cluster","protocol":"{{{protocol}}}",
         "vips":["map",[["{{{vip}}}",""]]],"options":["map",[["event","true"],["reject","true"]]],
         "external_ids":["map",[["k8s.ovn.org/kind","Service"],["k8s.ovn.org/owner","{{{space}}}/{{{name}}}"]]]}}
        """;
}
