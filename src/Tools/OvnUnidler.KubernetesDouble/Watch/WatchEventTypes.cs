namespace OvnUnidler.KubernetesDouble.Watch;

internal static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
