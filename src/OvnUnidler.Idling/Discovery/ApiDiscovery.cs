using System.Collections.Concurrent;
using System.Net;
using k8s;
using k8s.Autorest;

namespace OvnUnidler.Idling.Discovery;

// API discovery as kubectl's RESTMapper uses it: which resource serves a kind of a group, in the
// group's preferred version first, and whether it has a scale subresource. This is how OpenShift's
// unidling controller reaches any recorded kind through /scale (RESTMappings of the recorded group
// and kind; the recorded version is not used), and how idling lists only what the server serves.
// Answers are kept for Lifetime, so a wake costs no discovery request once the kind was seen.
public sealed class ApiDiscovery(IKubernetes client, TimeProvider timeProvider)
{
    // Served kinds change only when a CRD or an aggregated API comes or goes: a kind installed
    // after a miss is found within this long, and a busy operator asks about each group this often.
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private static readonly IReadOnlyList<string> CoreVersions = ["v1"];

    private readonly ConcurrentDictionary<string, Cached<IReadOnlyDictionary<string, IReadOnlyList<string>>>> groups = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Group, string Version), Cached<IReadOnlyList<ApiResource>>> resources = new();

    // The resource that serves `kind` in `group`, or null when the server serves no such kind.
    public async Task<ApiResource?> FindAsync(string group, string kind, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        foreach (var version in await VersionsAsync(group, cancellationToken).ConfigureAwait(false))
        {
            var listed = await ResourcesAsync(group, version, cancellationToken).ConfigureAwait(false);
            if (listed.FirstOrDefault(resource => resource.Kind == kind) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    // The versions a group serves, its preferred version first; empty when it is not served.
    private async Task<IReadOnlyList<string>> VersionsAsync(string group, CancellationToken cancellationToken)
    {
        if (group.Length == 0)
        {
            return CoreVersions;
        }

        var all = await GetOrReadAsync(groups, "", ReadGroupsAsync, cancellationToken).ConfigureAwait(false);
        return all.TryGetValue(group, out var versions) ? versions : [];
    }

    private Task<IReadOnlyList<ApiResource>> ResourcesAsync(string group, string version, CancellationToken cancellationToken) =>
        GetOrReadAsync(resources, (group, version), token => ReadResourcesAsync(group, version, token), cancellationToken);

    private async Task<T> GetOrReadAsync<TKey, T>(
        ConcurrentDictionary<TKey, Cached<T>> cache, TKey key, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
        where TKey : notnull
    {
        var now = timeProvider.GetUtcNow();
        if (cache.TryGetValue(key, out var cached) && now - cached.ReadAt < Lifetime)
        {
            return cached.Value;
        }

        // Two callers that miss at once both read; the answers are the same document.
        var value = await read(cancellationToken).ConfigureAwait(false);
        cache[key] = new Cached<T>(value, now);
        return value;
    }

    private async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ReadGroupsAsync(CancellationToken cancellationToken)
    {
        var list = await client.Apis.GetAPIVersionsAsync(cancellationToken).ConfigureAwait(false);
        var groupVersions = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var group in list.Groups ?? [])
        {
            var preferred = group.PreferredVersion?.Version;
            var versions = (group.Versions ?? []).Select(version => version.Version).ToList();
            groupVersions[group.Name] = preferred is null ? versions : [preferred, .. versions.Where(version => version != preferred)];
        }

        return groupVersions;
    }

    private async Task<IReadOnlyList<ApiResource>> ReadResourcesAsync(string group, string version, CancellationToken cancellationToken)
    {
        k8s.Models.V1APIResourceList list;
        try
        {
            list = await ApiResourceListReader.ReadAsync(client, group, version, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException exception) when (exception.Response?.StatusCode == HttpStatusCode.NotFound)
        {
            // Listed a moment ago, gone now (a CRD deleted): it serves nothing.
            return [];
        }

        var entries = list.Resources ?? [];
        var scaled = entries.Where(entry => entry.Name.EndsWith("/scale", StringComparison.Ordinal))
            .Select(entry => entry.Name[..^"/scale".Length])
            .ToHashSet(StringComparer.Ordinal);
        return entries.Where(entry => !entry.Name.Contains('/', StringComparison.Ordinal))
            .Select(entry => new ApiResource(group, version, entry.Name, entry.Kind, entry.Namespaced, scaled.Contains(entry.Name)))
            .ToList();
    }

    private sealed record Cached<T>(T Value, DateTimeOffset ReadAt);
}
