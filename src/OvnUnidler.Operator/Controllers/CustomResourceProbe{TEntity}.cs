using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Idling.Api;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;
using OvnUnidler.Operator.Resilience;

namespace OvnUnidler.Operator.Controllers;

/// <summary>
/// Finds out whether <typeparamref name="TEntity"/>'s CRD is installed, and keeps asking while it is
/// not, so that installing it after the operator turns its features on. The question is a list of
/// one item, which the operator's role already allows: an API server answers 404 for a resource no
/// CRD defines. Once the resource is served the probe waits until a watcher reports it gone.
/// </summary>
public sealed partial class CustomResourceProbe<TEntity>(
    IKubernetes client,
    CustomResourceAvailability<TEntity> availability,
    IOptions<UnidlerOptions> options,
    TimeProvider timeProvider,
    ILogger<CustomResourceProbe<TEntity>> logger) : BackgroundService
    where TEntity : IKubernetesObject<V1ObjectMeta>
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(500);

    private readonly KubernetesEntityAttribute entity =
        (KubernetesEntityAttribute?)Attribute.GetCustomAttribute(typeof(TEntity), typeof(KubernetesEntityAttribute))
        ?? throw new InvalidOperationException($"{typeof(TEntity).Name} has no [KubernetesEntity]");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.IdlerCrdProbeInterval;
        // An API server that could not be asked is asked again soon: an outage at start must not
        // hold the custom-resource features off for a whole interval once the server answers.
        var unanswered = new Backoff(FirstRetry < interval ? FirstRetry : interval, interval);
        bool? announced = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var answer = await ProbeAsync(stoppingToken).ConfigureAwait(false);
                if (answer is { } served)
                {
                    unanswered.Reset();
                    availability.Report(served);
                    if (!served && announced != false)
                    {
                        LogMissing(logger, entity.PluralName, entity.Group, entity.Kind, interval);
                    }
                    else if (served && announced == false)
                    {
                        LogServed(logger, entity.PluralName, entity.Group, entity.Kind);
                    }

                    announced = served;
                }

                if (availability.IsServed)
                {
                    await availability.WhenMissingAsync(stoppingToken).ConfigureAwait(false);
                }
                else
                {
                    await Task.Delay(answer is null ? unanswered.Next() : interval, timeProvider, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    // True or false when the server said; null when it could not be asked (the watchers log outages).
    private async Task<bool?> ProbeAsync(CancellationToken stoppingToken)
    {
        try
        {
            await client.CustomObjects.ListCustomObjectForAllNamespacesAsync<CustomResourceList<TEntity>>(
                entity.Group, entity.ApiVersion, entity.PluralName, limit: 1, cancellationToken: stoppingToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException exception) when (exception.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception exception) when (!stoppingToken.IsCancellationRequested && ApiFailure.From(exception) is not null)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = EventIds.CustomResourceMissing, EventName = nameof(EventIds.CustomResourceMissing), Level = LogLevel.Warning,
        Message = "{Plural}.{Group} is not served (its CRD is not installed): the {Kind} features are off until it is; checking every {Interval}")]
    private static partial void LogMissing(ILogger logger, string plural, string group, string kind, TimeSpan interval);

    [LoggerMessage(EventId = EventIds.CustomResourceServed, EventName = nameof(EventIds.CustomResourceServed), Level = LogLevel.Information,
        Message = "{Plural}.{Group} is served now (its CRD was installed): the {Kind} features are on")]
    private static partial void LogServed(ILogger logger, string plural, string group, string kind);
}
