using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OvnUnidler.Operator.Configuration;
using OvnUnidler.Operator.Observability;

namespace OvnUnidler.Operator.Hosting;

/// <summary>
/// Gives back, once, the memory the start-up burst left committed: the pages of the first lists
/// and the initial monitor replies are garbage once the views hold what they keep, but the GC keeps
/// the heap it grew to for them. One compacting collection that decommits (GCCollectionMode.Aggressive)
/// after the views first sync brings the working set down to the caches themselves; afterwards the
/// operator allocates little and the heap stays near that size.
/// </summary>
public sealed partial class StartupHeapRelease(
    ReadinessSignals readiness,
    IOptions<UnidlerOptions> options,
    ILogger<StartupHeapRelease> logger) : BackgroundService
{
    private static readonly string[] Views = [ReadinessNames.Services, ReadinessNames.EndpointSlices, ReadinessNames.Northbound];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.ReleaseStartupHeap)
        {
            return;
        }

        try
        {
            await readiness.WaitUntilReadyAsync(Views, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = GC.GetGCMemoryInfo();
        LogReleased(logger, before / 1_048_576, after.TotalCommittedBytes / 1_048_576, after.HeapSizeBytes / 1_048_576);
    }

    [LoggerMessage(EventId = EventIds.StartupHeapReleased, EventName = nameof(EventIds.StartupHeapReleased), Level = LogLevel.Information,
        Message = "Views synced; released start-up heap: committed {BeforeMegabytes} MB -> {AfterMegabytes} MB ({HeapMegabytes} MB live)")]
    private static partial void LogReleased(ILogger logger, long beforeMegabytes, long afterMegabytes, long heapMegabytes);
}
