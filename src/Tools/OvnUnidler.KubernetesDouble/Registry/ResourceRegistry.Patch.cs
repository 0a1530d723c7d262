using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Patching;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Registry;

internal sealed partial class ResourceRegistry
{
    // A patch applies to the current object inside the same transaction as the write, so it
    // never loses a concurrent change. A resourceVersion the patch sets is a precondition (409 if
    // stale); a patch that sets none applies to whatever is current.
    public ApiResult Patch(ResourceType type, string @namespace, string name, string? subresource, string? contentType, string body)
    {
        var patchType = PatchMediaTypes.Parse(contentType);
        if (patchType is PatchType.Unsupported or PatchType.ApplyPatch
            || (patchType == PatchType.StrategicMergePatch && !type.SupportsStrategicMergePatch))
        {
            var accepted = type.SupportsStrategicMergePatch
                ? $"{PatchMediaTypes.JsonPatch}, {PatchMediaTypes.MergePatch}, {PatchMediaTypes.StrategicMergePatch}"
                : $"{PatchMediaTypes.JsonPatch}, {PatchMediaTypes.MergePatch}";
            return ApiError.UnsupportedMediaType($"the body of the request was in an unknown format - accepted media types include: {accepted}");
        }

        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException exception)
        {
            return ApiError.BadRequest($"error decoding patch: {exception.Message}");
        }

        var scale = subresource == "scale";
        var (result, error) = store.Transact<(JsonObject?, ApiError?)>(tx =>
        {
            var current = GetLocked(tx, type, @namespace, name);
            if (current is null)
            {
                return (null, ApiError.NotFound(type, name));
            }

            var currentNode = Load(type, current);
            var target = scale ? ScaleRepresentation.Build(type, currentNode) : currentNode;
            var outcome = patchType switch
            {
                PatchType.JsonPatch => JsonPatch.Apply(target, patch),
                PatchType.MergePatch => PatchOutcome.Success(MergePatch.Apply(target, patch)),
                _ => StrategicMergePatch.Apply(target, patch),
            };
            if (outcome.Error is { } patchError)
            {
                return (null, patchError);
            }

            if (outcome.Result is not JsonObject patched)
            {
                return (null, ApiError.UnprocessableEntity("the patched document is not a JSON object"));
            }

            if (scale)
            {
                var (scaled, scaleError) = UpdateScaleLocked(tx, type, current, patched);
                return (scaled, scaleError);
            }

            if (ObjectMetadata.ResourceVersion(patched).Length == 0)
            {
                ObjectMetadata.Set(patched, "resourceVersion", SystemFields.Format(current.ResourceVersion));
            }

            var (stored, updateError) = CommitUpdateLocked(tx, type, current, patched, statusOnly: subresource == "status");
            return (stored is null ? null : Load(type, stored), updateError);
        });
        return error ?? ApiResult.Ok(result!);
    }
}
