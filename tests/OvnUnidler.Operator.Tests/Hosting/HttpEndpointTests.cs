using System.Net;
using OvnUnidler.Lab.Cluster;
using OvnUnidler.Lab.Databases;
using OvnUnidler.Operator.Tests.Harness;

namespace OvnUnidler.Operator.Tests.Hosting;

public sealed class HttpEndpointTests
{
    [Fact]
    public async Task Serves_health_readiness_and_prometheus_metrics_with_event_outcomes()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await environment.Workloads.CreateAsync("shop", "web", "10.96.0.10", 80, replicas: 1);
        var port = FreeTcpPort.Pick();
        await using var unidler = await environment.StartOperatorAsync(new Dictionary<string, string?>
        {
            ["Http:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Http:Host"] = "127.0.0.1",
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var cancellation = TestContext.Current.CancellationToken;

        Assert.Equal(HttpStatusCode.OK, await Eventually.ValueAsync(() => StatusAsync(http, "healthz"), status => status is not null, "/healthz to answer"));
        await Eventually.TrueAsync(async () => await StatusAsync(http, "readyz") == HttpStatusCode.OK, "/readyz to answer 200");

        await environment.Southbound.InsertEventAsync("10.96.0.10:80");
        await Eventually.TrueAsync(async () => await environment.Southbound.CountEventRowsAsync() == 0, "the row deleted");

        var metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative), cancellation);
        Assert.Contains("ovn_unidler_events_total{outcome=\"woken\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("ovn_unidler_rows_deleted_total 1", metrics, StringComparison.Ordinal);
        Assert.Contains("ovn_unidler_wake_latency_seconds_bucket{stage=\"scale_issued\"", metrics, StringComparison.Ordinal);
        Assert.Contains("ovn_unidler_database_connected{database=\"southbound\"} 1", metrics, StringComparison.Ordinal);
        using var missing = await http.GetAsync(new Uri("nothing-here", UriKind.Relative), cancellation);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static async Task<HttpStatusCode?> StatusAsync(HttpClient http, string path)
    {
        try
        {
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The listener starts on the host's background thread, a moment after the host started.
            return null;
        }
    }

    [Fact]
    public async Task An_operator_that_cannot_listen_exits_with_an_error_naming_the_setting()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        using var kubeconfig = DoubleKubeconfig.Write(environment.Api);
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var settings = environment.ProcessSettings(kubeconfig.Path);
        settings["Http__Port"] = port;
        await using var unidler = OperatorProcess.Start(settings);

        Assert.True(1 == await unidler.WaitForExitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken), unidler.RecentOutput);
        Assert.Contains($"cannot listen on 127.0.0.1 port {port} (Http:Host, Http:Port)", unidler.RecentOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readiness_reports_a_southbound_that_went_away()
    {
        await using var environment = await OperatorEnvironment.StartAsync();
        await using var unidler = await environment.StartOperatorAsync();
        await unidler.WaitUntilReadyAsync();
        Assert.True(unidler.Readiness.Snapshot()["southbound"], "per zone, ready includes the Southbound");

        await environment.SouthboundServer.StopAsync(TestContext.Current.CancellationToken);

        await Eventually.TrueAsync(() => !unidler.Readiness.IsReady, "readiness to drop with the Southbound");
        Assert.False(unidler.Readiness.Snapshot()["southbound"]);
    }
}
