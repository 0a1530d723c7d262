using System.Buffers;
using System.Globalization;
using System.Text.Json;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Selection;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    public ApiResult Get(ResourceType type, string @namespace, string name)
    {
        var stored = store.Transact(tx => GetLocked(tx, type, @namespace, name));
        return stored is null ? ApiError.NotFound(type, name) : ApiResult.Ok(converter.Render(type, stored));
    }

    // A list is a consistent snapshot at its metadata.resourceVersion. Pages (limit/continue)
    // are served from that same snapshot, rebuilt from the watch history, until the history no
    // longer reaches back to it: then 410 Expired, as the documentation describes.
    public ApiResult List(ResourceType type, string? @namespace, ListQuery query)
    {
        if (CheckFieldSelector(type, query.FieldSelector) is { } selectorError)
        {
            return selectorError;
        }

        ContinueToken? token = null;
        if (!string.IsNullOrEmpty(query.Continue))
        {
            token = ContinueToken.Decode(query.Continue);
            if (token is null)
            {
                return ApiError.BadRequest($"continue key is not valid: {query.Continue}");
            }
        }

        long? exact = null;
        if (token is null && !string.IsNullOrEmpty(query.ResourceVersion) && query.ResourceVersion != "0")
        {
            if (!long.TryParse(query.ResourceVersion, CultureInfo.InvariantCulture, out var requested))
            {
                return ApiError.BadRequest($"invalid resource version: {query.ResourceVersion}");
            }

            if (query.ResourceVersionMatch == "Exact")
            {
                exact = requested;
            }
            else if (requested > store.CurrentResourceVersion)
            {
                return ApiError.TooLargeResourceVersion(requested, store.CurrentResourceVersion);
            }
        }

        var snapshot = store.Transact<(IReadOnlyList<StoredObject>? Items, long At)>(tx =>
        {
            var at = token is { IsInconsistent: true } ? tx.ResourceVersion : token?.ResourceVersion ?? exact ?? tx.ResourceVersion;
            return at > tx.ResourceVersion ? (null, at) : (tx.ListAt(converter.StorageTypeOf(type), @namespace, at), at);
        });
        if (snapshot.Items is null)
        {
            if (snapshot.At > store.CurrentResourceVersion)
            {
                return ApiError.TooLargeResourceVersion(snapshot.At, store.CurrentResourceVersion);
            }

            return token is not null
                ? ContinueToken.ExpiredError(token)
                : ApiError.Expired($"too old resource version: {snapshot.At}");
        }

        var matching = snapshot.Items
            .Where(stored => token is null || IsAfter(stored, token))
            .Where(stored => query.LabelSelector.Matches(stored.Labels) && query.FieldSelector.Matches(stored.Fields))
            .ToList();
        var page = query.Limit is > 0 and var limit && matching.Count > limit ? matching.Take(limit).ToList() : matching;
        var remaining = matching.Count - page.Count;
        var next = remaining > 0 ? new ContinueToken(snapshot.At, page[^1].Namespace, page[^1].Name).Encode() : null;
        var selectorsUsed = !query.LabelSelector.IsEmpty || !query.FieldSelector.IsEmpty;
        return ApiResult.Ok(WriteList(type, page, snapshot.At, next, remaining > 0 && !selectorsUsed ? remaining : null));
    }

    public byte[] WriteList(ResourceType type, IReadOnlyList<StoredObject> items, long resourceVersion, string? continueToken, long? remainingItemCount)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", SystemFields.Format(resourceVersion));
            if (continueToken is not null)
            {
                writer.WriteString("continue", continueToken);
            }

            if (remainingItemCount is { } remaining)
            {
                writer.WriteNumber("remainingItemCount", remaining);
            }

            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                writer.WriteRawValue(converter.Render(type, item), skipInputValidation: true);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static ApiError? CheckFieldSelector(ResourceType type, FieldSelector selector)
    {
        foreach (var (field, _, _) in selector.Terms)
        {
            if (!SelectableFields.Supports(type, field))
            {
                return ApiError.BadRequest($"field label not supported: {field}");
            }
        }

        return null;
    }

    private static bool IsAfter(StoredObject stored, ContinueToken token)
    {
        var byNamespace = string.CompareOrdinal(stored.Namespace, token.Namespace);
        return byNamespace > 0 || (byNamespace == 0 && string.CompareOrdinal(stored.Name, token.Name) > 0);
    }
}
