using System.Net;
using k8s.Autorest;
using OvnUnidler.Idling.Api;

namespace OvnUnidler.Idling.Tests.Api;

public sealed class ApiFailureTests
{
    private static HttpOperationException Status(HttpStatusCode code, string? retryAfter = null, string content = "")
    {
        using var response = new HttpResponseMessage(code);
        if (retryAfter is not null)
        {
            response.Headers.TryAddWithoutValidation("Retry-After", retryAfter);
        }

        return new HttpOperationException($"Operation returned an invalid status code '{code}'") { Response = new HttpResponseMessageWrapper(response, content) };
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound, ApiFailureKind.NotFound)]
    [InlineData(HttpStatusCode.Conflict, ApiFailureKind.Conflict)]
    [InlineData(HttpStatusCode.TooManyRequests, ApiFailureKind.Transient)]
    [InlineData(HttpStatusCode.InternalServerError, ApiFailureKind.Transient)]
    [InlineData(HttpStatusCode.ServiceUnavailable, ApiFailureKind.Transient)]
    [InlineData(HttpStatusCode.GatewayTimeout, ApiFailureKind.Transient)]
    [InlineData(HttpStatusCode.RequestTimeout, ApiFailureKind.Transient)]
    [InlineData(HttpStatusCode.Forbidden, ApiFailureKind.Rejected)]
    [InlineData(HttpStatusCode.UnprocessableEntity, ApiFailureKind.Rejected)]
    [InlineData(HttpStatusCode.BadRequest, ApiFailureKind.Rejected)]
    public void Status_codes_are_classified(HttpStatusCode code, ApiFailureKind expected)
    {
        Assert.Equal(expected, ApiFailure.From(Status(code))!.Kind);
    }

    [Fact]
    public void Retry_after_in_seconds_is_honoured()
    {
        Assert.Equal(TimeSpan.FromSeconds(7), ApiFailure.From(Status(HttpStatusCode.TooManyRequests, "7"))!.RetryAfter);
    }

    [Fact]
    public void Retry_after_as_a_date_is_ignored_because_it_would_compare_two_clocks()
    {
        Assert.Null(ApiFailure.From(Status(HttpStatusCode.ServiceUnavailable, "Wed, 21 Oct 2015 07:28:00 GMT"))!.RetryAfter);
    }

    [Fact]
    public void The_api_servers_status_message_is_in_the_reason()
    {
        var failure = ApiFailure.From(Status(HttpStatusCode.Forbidden, content: """{"kind":"Status","message":"deployments.apps \"web\" is forbidden"}"""))!;

        Assert.Contains("403 Forbidden", failure.Reason, StringComparison.Ordinal);
        Assert.Contains("deployments.apps \"web\" is forbidden", failure.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_failures_and_timeouts_are_transient_and_bugs_are_not_failures()
    {
        Assert.Equal(ApiFailureKind.Transient, ApiFailure.From(new HttpRequestException("Connection refused"))!.Kind);
        Assert.Equal(ApiFailureKind.Transient, ApiFailure.From(new TaskCanceledException())!.Kind);
        Assert.Equal(ApiFailureKind.Transient, ApiFailure.From(new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected))!.Kind);
        Assert.Null(ApiFailure.From(new InvalidOperationException("bug")));
    }
}
