namespace OvnUnidler.Idling.Api;

public enum ApiFailureKind
{
    // 404: the object (or, for DeploymentConfigs off OpenShift, its API) does not exist.
    NotFound,

    // 409: our resourceVersion is stale; re-read and decide again.
    Conflict,

    // Worth trying again later: 429, 5xx, 408, a timeout, a refused or broken connection.
    Transient,

    // The API server refused for good: 400, 401, 403, 405, 422, ...
    Rejected,
}
