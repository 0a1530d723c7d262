using k8s.Models;
using OvnUnidler.Operator.Holding;

namespace OvnUnidler.Operator.Tests.Holding;

public sealed class HoldDeciderTests
{
    private static readonly Dictionary<string, string> ShopLabels = new() { ["kubernetes.io/metadata.name"] = "shop", ["team"] = "web" };

    [Fact]
    public void Holds_a_service_on_the_default_network_whose_pods_no_policy_can_select()
    {
        var decision = HoldDecider.Decide(Facts(Service(), policies: [new PolicySubject("NetworkPolicy shop/db", null, Pods("app", "db"))]));

        Assert.True(decision.Hold, decision.Reason);
        Assert.Equal("held", decision.Label);
    }

    [Fact]
    public void Does_not_hold_when_a_network_policy_selects_every_pod_of_the_namespace()
    {
        var decision = HoldDecider.Decide(Facts(Service(), policies: [new PolicySubject("NetworkPolicy shop/deny-all", null, null)]));

        Assert.False(decision.Hold);
        Assert.Contains("NetworkPolicy shop/deny-all", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_hold_when_a_policy_selects_a_label_the_idled_pods_may_carry_beyond_the_selector()
    {
        var decision = HoldDecider.Decide(Facts(Service(), policies: [new PolicySubject("NetworkPolicy shop/frontend", null, Pods("tier", "frontend"))]));

        Assert.False(decision.Hold);
        Assert.Equal("policy", decision.Label);
    }

    [Fact]
    public void Does_not_hold_when_a_policy_excludes_nothing_the_selector_fixes()
    {
        var notDb = new V1LabelSelector { MatchExpressions = [new V1LabelSelectorRequirement { Key = "app", OperatorProperty = "NotIn", Values = ["db"] }] };

        var decision = HoldDecider.Decide(Facts(Service(), policies: [new PolicySubject("NetworkPolicy shop/not-db", null, notDb)]));

        Assert.False(decision.Hold);
    }

    [Fact]
    public void Holds_when_an_admin_network_policy_selects_only_other_namespaces()
    {
        var decision = HoldDecider.Decide(Facts(Service(), policies: [new PolicySubject("AdminNetworkPolicy payments", Pods("team", "payments"), null)]));

        Assert.True(decision.Hold, decision.Reason);
    }

    [Fact]
    public void Does_not_hold_when_a_baseline_admin_network_policy_selects_the_namespace()
    {
        var decision = HoldDecider.Decide(Facts(Service(), policies: [new PolicySubject("BaselineAdminNetworkPolicy default", Pods("team", "web"), null)]));

        Assert.False(decision.Hold);
        Assert.Contains("BaselineAdminNetworkPolicy default", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Does_not_hold_a_service_that_opted_out()
    {
        var service = Service();
        service.Metadata.Annotations = new Dictionary<string, string> { [HoldDecider.OptOutAnnotation] = "false" };

        var decision = HoldDecider.Decide(Facts(service));

        Assert.Equal("opted-out", decision.Label);
    }

    [Fact]
    public void Does_not_hold_a_service_on_a_primary_user_defined_network()
    {
        var labels = new Dictionary<string, string>(ShopLabels) { [HoldDecider.PrimaryUserDefinedNetworkLabel] = "" };

        var decision = HoldDecider.Decide(new HoldingFacts(Service(), labels, []));

        Assert.Equal("user-defined-network", decision.Label);
    }

    [Fact]
    public void Does_not_hold_a_service_without_a_selector_or_without_tcp_and_udp_ports()
    {
        var selectorless = Service();
        selectorless.Spec.Selector = null;
        var sctp = Service();
        sctp.Spec.Ports = [new V1ServicePort { Name = "sig", Port = 3868, Protocol = "SCTP" }];

        Assert.Equal("no-selector", HoldDecider.Decide(Facts(selectorless)).Label);
        Assert.Equal("no-ports", HoldDecider.Decide(Facts(sctp)).Label);
    }

    private static HoldingFacts Facts(V1Service service, IReadOnlyList<PolicySubject>? policies = null) => new(service, ShopLabels, policies ?? []);

    private static V1LabelSelector Pods(string key, string value) => new() { MatchLabels = new Dictionary<string, string> { [key] = value } };

    private static V1Service Service() => new()
    {
        Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "shop" },
        Spec = new V1ServiceSpec
        {
            Selector = new Dictionary<string, string> { ["app"] = "web" },
            Ports = [new V1ServicePort { Name = "http", Port = 80, Protocol = "TCP", TargetPort = 8080 }],
        },
    };
}
