using System.Net;
using OvnUnidler.Lab.Processes;

namespace OvnUnidler.Lab.Databases;

/// <summary>
/// A real ovsdb-server on a private directory. Ports are chosen once, so a restart serves the
/// same remotes from the same database file (rows persist, as in a real Southbound restart).
/// </summary>
public sealed class OvsdbServer : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private readonly OvsdbServerOptions options;
    private readonly CommandRunner runner;
    private DaemonProcess? daemon;

    private OvsdbServer(OvsdbServerOptions options)
    {
        this.options = options;
        runner = new CommandRunner(options.Directory);
        TcpPort = options.TcpPort is 0 ? FreeTcpPort.Pick() : options.TcpPort;
        Ipv6TcpPort = options.Ipv6TcpPort is 0 ? FreeTcpPort.Pick(IPAddress.IPv6Loopback) : options.Ipv6TcpPort;
        SslPort = options.Tls is null ? null : options.SslPort is 0 ? FreeTcpPort.Pick() : options.SslPort;
    }

    public string Name => options.Name;

    public string DatabaseFile => Path.Combine(options.Directory, $"{options.Name}.db");

    public string UnixSocketPath => Path.Combine(options.Directory, $"{options.Name}.sock");

    public string ControlSocketPath => Path.Combine(options.Directory, $"{options.Name}.ctl");

    public string LogFile => Path.Combine(options.Directory, $"{options.Name}.log");

    public int? TcpPort { get; }

    public int? Ipv6TcpPort { get; }

    public int? SslPort { get; }

    public string UnixRemote => $"unix:{UnixSocketPath}";

    public string TcpRemote => TcpPort is { } port ? $"tcp:127.0.0.1:{port}" : throw new InvalidOperationException($"{Name} has no tcp remote");

    public string Ipv6Remote => Ipv6TcpPort is { } port ? $"tcp:[::1]:{port}" : throw new InvalidOperationException($"{Name} has no IPv6 remote");

    public string SslRemote => SslPort is { } port ? $"ssl:127.0.0.1:{port}" : throw new InvalidOperationException($"{Name} has no ssl remote");

    public bool IsRunning => daemon?.IsRunning ?? false;

    public int? Pid => daemon?.Pid;

    public CommandRunner Commands => runner;

    /// <summary>Creates the database from the schema unless the file exists (a cluster member's file is made by <see cref="OvsdbCluster"/>).</summary>
    public static async Task<OvsdbServer> StartAsync(OvsdbServerOptions options, CancellationToken cancellationToken = default)
    {
        System.IO.Directory.CreateDirectory(options.Directory);
        var server = new OvsdbServer(options);
        if (!File.Exists(server.DatabaseFile))
        {
            await server.runner.RunAsync("ovsdb-tool", ["create", server.DatabaseFile, options.SchemaPath], cancellationToken).ConfigureAwait(false);
        }

        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return server;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            return;
        }

        File.Delete(UnixSocketPath);
        var arguments = new List<string>
        {
            $"--log-file={LogFile}",
            $"--unixctl={ControlSocketPath}",
            $"--remote=punix:{UnixSocketPath}",
        };
        if (TcpPort is { } tcp)
        {
            arguments.Add($"--remote=ptcp:{tcp}:127.0.0.1");
        }

        if (Ipv6TcpPort is { } tcp6)
        {
            arguments.Add($"--remote=ptcp:{tcp6}:[::1]");
        }

        if (options.Tls is { } tls && SslPort is { } ssl)
        {
            arguments.Add($"--private-key={tls.PrivateKey}");
            arguments.Add($"--certificate={tls.Certificate}");
            arguments.Add($"--ca-cert={tls.CaCertificate}");
            arguments.Add($"--remote=pssl:{ssl}:127.0.0.1");
        }

        arguments.AddRange(options.ExtraArguments);
        arguments.Add(DatabaseFile);
        daemon = await DaemonProcess.StartAsync(
            runner, $"ovsdb-server {Name}", "ovsdb-server", arguments, Path.Combine(options.Directory, $"{Name}.pid"), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (daemon is not null)
        {
            await daemon.StopAsync(StopGrace, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>SIGKILL: the server dies mid-whatever, as in a crash or a node failure.</summary>
    public async Task KillAsync(CancellationToken cancellationToken = default)
    {
        if (daemon is not null)
        {
            await daemon.KillAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync(cancellationToken).ConfigureAwait(false);
        await StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <c>ovs-appctl</c> against this server's control socket.</summary>
    public Task<string> AppctlAsync(IEnumerable<string> command, CancellationToken cancellationToken = default) =>
        runner.RunAsync("ovs-appctl", new[] { "-t", ControlSocketPath }.Concat(command), cancellationToken);

    /// <summary>Runs one transaction with <c>ovsdb-client transact</c> over the unix socket and returns its JSON.</summary>
    public Task<string> TransactAsync(string transactionJson, CancellationToken cancellationToken = default) =>
        runner.RunAsync("ovsdb-client", ["transact", UnixRemote, transactionJson], cancellationToken);

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
