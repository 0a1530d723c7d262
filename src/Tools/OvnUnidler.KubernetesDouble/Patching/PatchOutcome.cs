using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.Patching;

internal readonly record struct PatchOutcome(JsonNode? Result, ApiError? Error)
{
    public static PatchOutcome Success(JsonNode? result) => new(result, null);

    // A patch that cannot be decoded is the client's malformed request.
    public static PatchOutcome Malformed(string message) => new(null, ApiError.BadRequest(message));

    // A well-formed patch that does not apply to this object (a failed "test", a missing path).
    public static PatchOutcome NotApplicable(string message) => new(null, ApiError.UnprocessableEntity(message));
}
