using k8s.Models;
using OvnUnidler.Entities;
using OvnUnidler.Operator.Controllers;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Tests.Controllers;

public sealed class IdlerIndexTests
{
    private static readonly ServiceKey Web = new("shop", "web");

    [Fact]
    public void Answers_nothing_until_the_first_list()
    {
        var index = new IdlerIndex();

        Assert.False(index.TryHasIdlers(Web, out _));
    }

    [Fact]
    public void Knows_which_services_idlers_name_after_a_list_and_follows_watch_changes()
    {
        var index = new IdlerIndex();
        index.Replace([Idler("web-idler", "web")]);
        Assert.True(index.TryHasIdlers(Web, out var listed) && listed);

        index.Upsert(Idler("web-idler", "api"));
        Assert.True(index.TryHasIdlers(Web, out var renamed) && !renamed);
        Assert.True(index.TryHasIdlers(new ServiceKey("shop", "api"), out var api) && api);

        index.Remove(Idler("web-idler", "api"));
        Assert.True(index.TryHasIdlers(new ServiceKey("shop", "api"), out var removed) && !removed);
    }

    [Fact]
    public void Two_idlers_of_one_service_count_until_both_are_gone()
    {
        var index = new IdlerIndex();
        index.Replace([Idler("first", "web"), Idler("second", "web")]);

        index.Remove(Idler("first", "web"));
        Assert.True(index.TryHasIdlers(Web, out var one) && one);

        index.Remove(Idler("second", "web"));
        Assert.True(index.TryHasIdlers(Web, out var none) && !none);
    }

    [Fact]
    public void Answers_nothing_after_the_watch_ends_until_the_next_list()
    {
        var index = new IdlerIndex();
        index.Replace([]);

        index.Invalidate();
        Assert.False(index.TryHasIdlers(Web, out _));

        index.Replace([Idler("web-idler", "web")]);
        Assert.True(index.TryHasIdlers(Web, out var listed) && listed);
    }

    private static V1Alpha1Idler Idler(string name, string service) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "shop" },
        Spec = new V1Alpha1IdlerSpec { ServiceName = service },
    };
}
