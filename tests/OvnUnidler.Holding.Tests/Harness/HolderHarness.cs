namespace OvnUnidler.Holding.Tests.Harness;

/// <summary>
/// A real holder on loopback with its own slice of the port range (test classes run in parallel;
/// a port some other process holds is skipped by the holder itself), recording what it reports.
/// </summary>
public sealed class HolderHarness : IAsyncDisposable
{
    public const int PortsEach = 16;

    private static int nextFirstPort = 21000;

    public HolderHarness(Action<HoldingOptions>? configure = null, TimeProvider? time = null)
    {
        var first = Interlocked.Add(ref nextFirstPort, PortsEach) - PortsEach;
        Options = new HoldingOptions { ListenAddress = "127.0.0.1", FirstPort = first, LastPort = first + PortsEach - 1 };
        configure?.Invoke(Options);
        var validation = new HoldingOptionsValidator().Validate(null, Options);
        Assert.True(validation.Succeeded, validation.FailureMessage);
        Time = time ?? TimeProvider.System;
        Holder = new ConnectionHolder(Microsoft.Extensions.Options.Options.Create(Options), Time, Logger, Observer);
    }

    public HoldingOptions Options { get; }

    public TimeProvider Time { get; }

    public RecordingObserver Observer { get; } = new();

    public TestOutputLogger<ConnectionHolder> Logger { get; } = new("holder");

    public ConnectionHolder Holder { get; }

    public static HeldPort Http { get; } = new("http", HeldProtocol.Tcp);

    public static HeldPort Dns { get; } = new("dns", HeldProtocol.Udp);

    /// <summary>Holds <paramref name="service"/>'s ports (by default its HTTP port) until the deadline (by default far off).</summary>
    public HeldService Hold(string service = "shop/web", TimeSpan? deadline = null, params HeldPort[] ports) =>
        Holder.Hold(new HoldRequest(service, ports.Length == 0 ? [Http] : ports, Time.GetUtcNow() + (deadline ?? TimeSpan.FromMinutes(10))))
        ?? throw new InvalidOperationException($"no hold for {service}");

    public ValueTask DisposeAsync() => Holder.DisposeAsync();
}
