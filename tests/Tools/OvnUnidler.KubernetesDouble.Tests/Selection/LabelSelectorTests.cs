using OvnUnidler.KubernetesDouble.Selection;

namespace OvnUnidler.KubernetesDouble.Tests.Selection;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["tier"] = "backend", ["version"] = "3" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app = web , tier==backend", true)]
    [InlineData("app!=web", false)]
    [InlineData("missing!=x", true)]
    [InlineData("tier in (frontend, backend)", true)]
    [InlineData("tier notin (backend)", false)]
    [InlineData("missing notin (x)", true)]
    [InlineData("app,!missing", true)]
    [InlineData("!app", false)]
    [InlineData("version>2,version<4", true)]
    [InlineData("version>3", false)]
    [InlineData("example.com/owner=web", false)]
    public void Requirements_match_as_documented(string text, bool matches)
    {
        Assert.True(LabelSelector.TryParse(text, out var selector, out var error), error);

        Assert.Equal(matches, selector.Matches(Labels));
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app in web")]
    [InlineData("app=web,")]
    [InlineData("version>x")]
    [InlineData("=web")]
    public void Malformed_selectors_are_refused(string text)
    {
        Assert.False(LabelSelector.TryParse(text, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Fact]
    public void Map_selectors_print_sorted_as_the_scale_subresource_shows_them()
    {
        var selector = LabelSelector.FromMap(new Dictionary<string, string> { ["tier"] = "backend", ["app"] = "web" });

        Assert.Equal("app=web,tier=backend", selector.ToString());
    }
}
