using Xunit;

namespace OvnUnidler.Testing;

/// <summary>
/// Whether a real-traffic test (network namespaces, veth links, the userspace datapath) runs.
/// Where it cannot, it skips and says why, except in CI as root: there the lab must work, so the
/// reason fails the test instead of hiding a broken lab behind a skip.
/// </summary>
public static class RealTrafficGate
{
    public static bool MustRun =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")) && Environment.UserName == "root";

    /// <summary><paramref name="whyUnavailable"/> is the lab's answer (null: it can run).</summary>
    public static void Require(string? whyUnavailable)
    {
        if (whyUnavailable is null)
        {
            return;
        }

        if (MustRun)
        {
            Assert.Fail($"CI runs as root, so real traffic must work here: {whyUnavailable}");
        }

        Assert.Skip(whyUnavailable);
    }
}
