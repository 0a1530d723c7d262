using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Tests.Hosting;

public sealed class HttpEndpointProtocolTests : IAsyncLifetime
{
    private readonly int port = FreeTcpPort.Pick();
    private readonly ReadinessSignals readiness = new();
    private HttpEndpoint? endpoint;

    public async ValueTask InitializeAsync()
    {
        endpoint = Start(new HttpEndpointOptions { Host = "127.0.0.1", Port = port, RequestTimeout = TimeSpan.FromSeconds(1), MaxConnections = 4 });
        await endpoint.StartAsync(TestContext.Current.CancellationToken);
        await Eventually.TrueAsync(async () => (await TrySendAsync("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")) is not null, "the endpoint to listen");
    }

    public async ValueTask DisposeAsync()
    {
        if (endpoint is not null)
        {
            await endpoint.StopAsync(CancellationToken.None);
            endpoint.Dispose();
        }
    }

    [Fact]
    public async Task Readiness_answers_503_naming_each_condition_until_all_are_met_then_200()
    {
        readiness.Register("southbound");
        readiness.Register("services");
        readiness.Set("services", true);

        var notReady = await SendAsync("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", notReady, StringComparison.Ordinal);
        Assert.Contains("southbound: not ready", notReady, StringComparison.Ordinal);
        Assert.Contains("services: ready", notReady, StringComparison.Ordinal);

        readiness.Set("southbound", true);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", await SendAsync("GET /readyz?verbose HTTP/1.1\r\n\r\n"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Head_answers_the_headers_of_get_without_a_body()
    {
        var get = await SendAsync("GET /healthz HTTP/1.1\r\n\r\n");
        var head = await SendAsync("HEAD /healthz HTTP/1.1\r\n\r\n");

        Assert.Equal(get[..(get.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)], head);
        Assert.EndsWith("\r\n\r\nok\n", get, StringComparison.Ordinal);
        Assert.Contains("Content-Length: 3\r\n", head, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_methods_get_405_with_the_allowed_ones()
    {
        var response = await SendAsync("POST /metrics HTTP/1.1\r\nContent-Length: 0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 405 Method Not Allowed\r\n", response, StringComparison.Ordinal);
        Assert.Contains("Allow: GET, HEAD\r\n", response, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("garbage\r\n\r\n")]
    [InlineData("GET\r\n\r\n")]
    [InlineData("GET healthz HTTP/1.1\r\n\r\n")]
    [InlineData("GET /healthz SPDY/3\r\n\r\n")]
    [InlineData("get /healthz HTTP/1.1\r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n")]
    public async Task A_malformed_request_line_gets_400(string request)
    {
        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", await SendAsync(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_head_over_the_limit_gets_431()
    {
        var request = "GET /healthz HTTP/1.1\r\nX-Padding: " + new string('a', HttpRequestLine.MaxHeadBytes) + "\r\n\r\n";

        Assert.StartsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n", await SendAsync(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_clients_up_to_the_limit_are_dropped_at_the_deadline_and_do_not_block_probes()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var silent = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                silent.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, port, cancellation);
            }

            Assert.StartsWith("HTTP/1.1 200 OK\r\n", await SendAsync("GET /healthz HTTP/1.1\r\n\r\n"), StringComparison.Ordinal);

            var buffer = new byte[16];
            var read = await silent[0].ReceiveAsync(buffer, SocketFlags.None, cancellation).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellation);
            Assert.Equal(0, read);
        }
        finally
        {
            foreach (var socket in silent)
            {
                socket.Dispose();
            }
        }
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_text_format()
    {
        var response = await SendAsync("GET /metrics HTTP/1.1\r\n\r\n");

        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", response, StringComparison.Ordinal);
        Assert.Contains("# TYPE ovn_unidler_events_total counter", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_port_taken_by_another_listener_fails_the_start_naming_the_settings()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var takenPort = ((IPEndPoint)taken.LocalEndpoint).Port;
        using var second = Start(new HttpEndpointOptions { Host = "127.0.0.1", Port = takenPort });

        await second.StartAsync(TestContext.Current.CancellationToken);
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => second.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        Assert.Contains("Http:Port", failure.Message, StringComparison.Ordinal);
        Assert.Contains(takenPort.ToString(CultureInfo.InvariantCulture), failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("+", true)]
    [InlineData("*", true)]
    [InlineData("localhost", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("10.0.0.1", true)]
    [InlineData("metrics.example", false)]
    public void Host_must_be_a_wildcard_localhost_or_an_address(string host, bool valid)
    {
        var result = new HttpEndpointOptionsValidator().Validate(null, new HttpEndpointOptions { Host = host });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Http:Host", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    private HttpEndpoint Start(HttpEndpointOptions options) =>
        new(new UnidlerMetrics(), readiness, Options.Create(options), NullLogger<HttpEndpoint>.Instance);

    private async Task<string> SendAsync(string request) =>
        await TrySendAsync(request) ?? throw new InvalidOperationException("the endpoint did not answer");

    private async Task<string?> TrySendAsync(string request)
    {
        var cancellation = TestContext.Current.CancellationToken;
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, cancellation).AsTask().WaitAsync(TimeSpan.FromSeconds(5), cancellation);
            await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellation);
            using var received = new MemoryStream();
            var buffer = new byte[4096];
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellation).AsTask().WaitAsync(TimeSpan.FromSeconds(10), cancellation);
                if (read == 0)
                {
                    return Encoding.UTF8.GetString(received.ToArray());
                }

                received.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            return null;
        }
    }
}
