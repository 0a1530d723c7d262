using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OvnUnidler.Operator.Hosting;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Waking;

namespace OvnUnidler.Operator.Tests.Harness;

/// <summary>One operator host running in this process, with the wake reports it produced.</summary>
public sealed class RunningOperator : IAsyncDisposable
{
    private readonly IHost host;

    private RunningOperator(IHost host, WakeReports reports)
    {
        this.host = host;
        Reports = reports;
    }

    public WakeReports Reports { get; }

    public UnidlerMetrics Metrics => host.Services.GetRequiredService<UnidlerMetrics>();

    public ReadinessSignals Readiness => host.Services.GetRequiredService<ReadinessSignals>();

    /// <summary>One of the operator's own services, to drive a stage directly.</summary>
    public T Service<T>()
        where T : notnull => host.Services.GetRequiredService<T>();

    public static async Task<RunningOperator> StartAsync(
        IReadOnlyDictionary<string, string?> configuration, IKubernetes client, RecordingLoggerProvider? logs = null, Action<IServiceCollection>? configure = null)
    {
        var reports = new WakeReports();
        var host = UnidlerHost.Build([], configuration, services =>
        {
            services.AddSingleton(client);
            services.AddSingleton<IWakeObserver>(reports);
            services.AddLogging(logging =>
            {
                logging.ClearProviders().AddProvider(new TestOutputLoggerProvider()).SetMinimumLevel(LogLevel.Debug);
                if (logs is not null)
                {
                    logging.AddProvider(logs);
                }
            });
            configure?.Invoke(services);
        });
        await host.StartAsync(TestContext.Current.CancellationToken);
        return new RunningOperator(host, reports);
    }

    /// <summary>Waits until the views are synced and the Southbound monitor has delivered its initial rows.</summary>
    public Task WaitUntilReadyAsync() => Eventually.TrueAsync(() => Readiness.IsReady, "the operator to be ready");

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        host.Dispose();
    }
}
