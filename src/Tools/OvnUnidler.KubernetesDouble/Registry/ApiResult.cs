using System.Text.Json;
using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.Registry;

// What a registry operation answers: a status code and a JSON body, or a Status for an error.
internal sealed class ApiResult
{
    private ApiResult(int statusCode, byte[] body, ApiError? error)
    {
        StatusCode = statusCode;
        Body = body;
        Error = error;
    }

    public int StatusCode { get; }

    public byte[] Body { get; }

    public ApiError? Error { get; }

    public bool IsSuccess => Error is null;

    public static ApiResult Ok(byte[] body, int statusCode = 200) => new(statusCode, body, null);

    public static ApiResult Ok(JsonObject body, int statusCode = 200) => new(statusCode, JsonSerializer.SerializeToUtf8Bytes(body), null);

    public static ApiResult Failure(ApiError error) => new(error.Code, JsonSerializer.SerializeToUtf8Bytes(error.ToStatus()), error);

    public static implicit operator ApiResult(ApiError error) => Failure(error);
}
