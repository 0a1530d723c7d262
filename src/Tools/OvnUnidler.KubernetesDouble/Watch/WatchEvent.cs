using OvnUnidler.KubernetesDouble.Errors;
using OvnUnidler.KubernetesDouble.Storage;

namespace OvnUnidler.KubernetesDouble.Watch;

// One line of a watch stream: ADDED, MODIFIED, DELETED with an object, BOOKMARK with only a
// resourceVersion, or ERROR with a Status.
internal sealed record WatchEvent(string Type, StoredObject? Object, long ResourceVersion, ApiError? Error = null, bool InitialEventsEnd = false);
