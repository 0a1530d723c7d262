namespace OvnUnidler.KubernetesDouble.Kubectl.Tests;

/// <summary>One double and kubectl pointed at it, stopped together.</summary>
public sealed class KubectlSession : IAsyncDisposable
{
    private KubectlSession(KubernetesApiDouble api, Kubectl kubectl)
    {
        Api = api;
        Kubectl = kubectl;
    }

    public KubernetesApiDouble Api { get; }

    public Kubectl Kubectl { get; }

    /// <summary>A double, and kubectl as cluster-admin (the double's admin token) for the tests' own commands.</summary>
    public static async Task<KubectlSession> StartAsync(KubernetesApiDoubleOptions? options = null)
    {
        var api = await KubernetesApiDouble.StartAsync(options ?? new KubernetesApiDoubleOptions { ReadyDelay = TimeSpan.FromMilliseconds(50) }, TestContext.Current.CancellationToken);
        try
        {
            return new KubectlSession(api, Kubectl.For(api, api.AdminToken));
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }
    }

    /// <summary>Another kubectl against the same double, as the holder of <paramref name="token"/> (null: anonymous); the caller disposes it.</summary>
    public Kubectl As(string? token) => Kubectl.For(Api, token);

    public Task<string> SucceedAsync(params string[] arguments) => Kubectl.SucceedAsync(arguments);

    public Task<KubectlResult> RunAsync(params string[] arguments) => Kubectl.RunAsync(arguments);

    /// <summary>Applies YAML given inline (kubectl apply -f FILE --validate=false: the double serves no OpenAPI).</summary>
    public Task<string> ApplyAsync(string yaml) =>
        Kubectl.SucceedAsync("apply", "--validate=false", "-f", Kubectl.WriteFile($"manifest-{Guid.NewGuid():N}.yaml", yaml));

    public async ValueTask DisposeAsync()
    {
        Kubectl.Dispose();
        await Api.DisposeAsync();
    }
}
