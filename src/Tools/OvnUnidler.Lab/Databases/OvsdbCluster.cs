using System.Globalization;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Databases;

/// <summary>
/// A clustered (Raft) database of several ovsdb-server members on loopback ports, made with
/// <c>ovsdb-tool create-cluster</c> and <c>join-cluster</c> (ovsdb(7), "Clustered Database Service Model").
/// </summary>
public sealed class OvsdbCluster : IAsyncDisposable
{
    private OvsdbCluster(string databaseName, IReadOnlyList<OvsdbServer> members)
    {
        DatabaseName = databaseName;
        Members = members;
    }

    public string DatabaseName { get; }

    public IReadOnlyList<OvsdbServer> Members { get; }

    /// <summary>Every member's client remote, comma separated, as OVN daemons take a clustered remote.</summary>
    public string ClientRemotes => string.Join(',', Members.Select(member => member.TcpRemote));

    public static async Task<OvsdbCluster> StartAsync(
        string directory, string schemaPath, string databaseName, int memberCount = 3, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(memberCount, 1);
        Directory.CreateDirectory(directory);
        var runner = new CommandRunner(directory);
        var raftPorts = Enumerable.Range(0, memberCount).Select(_ => FreeTcpPort.Pick()).ToArray();
        var members = new List<OvsdbServer>();
        try
        {
            for (var index = 0; index < memberCount; index++)
            {
                var name = string.Create(CultureInfo.InvariantCulture, $"member{index + 1}");
                var databaseFile = Path.Combine(directory, $"{name}.db");
                var raftAddress = string.Create(CultureInfo.InvariantCulture, $"tcp:127.0.0.1:{raftPorts[index]}");
                string[] create = index == 0
                    ? ["create-cluster", databaseFile, schemaPath, raftAddress]
                    : ["join-cluster", databaseFile, databaseName, raftAddress, string.Create(CultureInfo.InvariantCulture, $"tcp:127.0.0.1:{raftPorts[0]}")];
                await runner.RunAsync("ovsdb-tool", create, cancellationToken).ConfigureAwait(false);
                members.Add(await OvsdbServer.StartAsync(
                    new OvsdbServerOptions { Directory = directory, Name = name, SchemaPath = schemaPath, TcpPort = 0 },
                    cancellationToken).ConfigureAwait(false));
            }

            var cluster = new OvsdbCluster(databaseName, members);
            foreach (var member in members)
            {
                await cluster.WaitUntilConnectedAsync(member, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }

            return cluster;
        }
        catch
        {
            foreach (var member in members)
            {
                await member.KillAsync(CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
    }

    /// <summary>Waits until the member has joined the cluster and can serve clients.</summary>
    public async Task WaitUntilConnectedAsync(OvsdbServer member, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var result = await member.Commands.TryRunAsync(
            "ovsdb-client", ["wait", member.UnixRemote, DatabaseName, "connected"], timeout, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new LabCommandException($"ovsdb-client wait {member.Name} connected", result.ExitCode, result.StandardError);
        }
    }

    /// <summary>The member whose <c>cluster/status</c> says it is the Raft leader.</summary>
    public async Task<OvsdbServer?> FindLeaderAsync(CancellationToken cancellationToken = default)
    {
        foreach (var member in Members.Where(member => member.IsRunning))
        {
            var status = await member.Commands.TryRunAsync(
                "ovs-appctl", ["-t", member.ControlSocketPath, "cluster/status", DatabaseName], CommandRunner.DefaultTimeout, cancellationToken)
                .ConfigureAwait(false);
            if (status.ExitCode == 0 && status.StandardOutput.Contains("Role: leader", StringComparison.Ordinal))
            {
                return member;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var member in Members)
        {
            await member.StopAsync().ConfigureAwait(false);
        }
    }
}
