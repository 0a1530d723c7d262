using System.Diagnostics;
using OvnUnidler.Lab.Network;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Tests.Network;

public sealed class TrafficLabLifecycleTests
{
    [Fact]
    public async Task Dispose_removes_every_namespace_daemon_pod_program_and_the_directory()
    {
        RealTrafficGate.Require(TrafficLab.WhyUnavailable());
        var lab = await TrafficLab.StartAsync(new TrafficLabOptions(), TestContext.Current.CancellationToken).Within(Deadline.Long);
        var pod = await lab.AddPodAsync(lab.Nodes.First(), "lifecycle", TestContext.Current.CancellationToken).Within(Deadline.Long);
        var program = pod.Start("sleep", ["600"]);
        var pids = lab.Pids.Append(program.Pid).ToList();
        var names = lab.NamespaceNames;
        Assert.Equal(2, names.Count);
        Assert.All(names, name => Assert.Contains(name, NetworkNamespace.List()));

        await lab.DisposeAsync().AsTask().Within(Deadline.Long);

        Assert.DoesNotContain(NetworkNamespace.List(), name => name.Contains(lab.Id, StringComparison.Ordinal));
        Assert.False(Directory.Exists(lab.Directory));
        await Eventually.TrueAsync(() => pids.All(IsGone), $"the lab's processes {string.Join(", ", pids)} gone");
    }

    [Fact]
    public async Task The_reaper_removes_the_namespaces_and_daemons_of_a_dead_owner_and_leaves_a_live_owners()
    {
        RealTrafficGate.Require(TrafficLab.WhyUnavailable());
        var runner = new CommandRunner("/tmp");
        var dead = await DeadOwnerAsync();
        var deadName = LabNames.Namespace(dead, "0dead0ff", "node1");
        var liveName = LabNames.Namespace(LabOwner.Current, "0a11ve00", "node1");
        var deadDirectory = LabNames.DirectoryPrefix + "0dead0ff";
        var deadSpace = await NetworkNamespace.CreateAsync(runner, deadName, TestContext.Current.CancellationToken);
        var liveSpace = await NetworkNamespace.CreateAsync(runner, liveName, TestContext.Current.CancellationToken);
        try
        {
            Directory.CreateDirectory(deadDirectory);
            await File.WriteAllTextAsync(Path.Combine(deadDirectory, LabNames.OwnerFile), dead.Token, TestContext.Current.CancellationToken);
            // What a dead lab leaves running: a program inside its namespace, and a daemon in the
            // host's namespace whose pidfile is in the lab directory and whose command line names it.
            using var inside = Process.Start("ip", ["netns", "exec", deadName, "sleep", "600"]);
            using var daemon = Process.Start("sh", ["-c", "sleep 600; :", deadDirectory]);
            await File.WriteAllTextAsync(Path.Combine(deadDirectory, "daemon.pid"), $"{daemon.Id}\n", TestContext.Current.CancellationToken);

            await LeftoverReaper.ReapAsync(TestContext.Current.CancellationToken).Within(Deadline.Long);

            Assert.DoesNotContain(deadName, NetworkNamespace.List());
            Assert.False(Directory.Exists(deadDirectory));
            Assert.True(inside.WaitForExit(TimeSpan.FromSeconds(10)), "the program inside the dead lab's namespace still runs");
            Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(10)), "the dead lab's daemon still runs");
            Assert.Contains(liveName, NetworkNamespace.List());
        }
        finally
        {
            await liveSpace.DeleteAsync(CancellationToken.None);
            if (NetworkNamespace.List().Contains(deadName))
            {
                await deadSpace.DeleteAsync(CancellationToken.None);
            }
        }
    }

    /// <summary>The identity of a process that ran and exited: what a killed test run leaves as owner.</summary>
    private static async Task<LabOwner> DeadOwnerAsync()
    {
        using var process = Process.Start("sleep", ["600"]);
        var owner = LabOwner.Of(process.Id) ?? throw new InvalidOperationException("no /proc entry for a process just started");
        process.Kill();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).Within();
        Assert.False(owner.IsAlive);
        return owner;
    }

    private static bool IsGone(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
