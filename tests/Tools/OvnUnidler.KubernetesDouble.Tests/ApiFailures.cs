using System.Net;
using System.Text.Json;
using k8s.Autorest;

namespace OvnUnidler.KubernetesDouble.Tests;

// Asserts that a KubernetesClient call failed with the given code and Status reason.
internal static class ApiFailures
{
    public static async Task<JsonElement> ExpectStatusAsync(HttpStatusCode code, string reason, Func<Task> call)
    {
        var failure = await Assert.ThrowsAsync<HttpOperationException>(call);
        Assert.Equal(code, failure.Response.StatusCode);
        var status = JsonDocument.Parse(failure.Response.Content).RootElement;
        Assert.Equal("Status", status.GetProperty("kind").GetString());
        Assert.Equal("Failure", status.GetProperty("status").GetString());
        Assert.Equal(reason, status.GetProperty("reason").GetString());
        Assert.Equal((int)code, status.GetProperty("code").GetInt32());
        return status;
    }
}
