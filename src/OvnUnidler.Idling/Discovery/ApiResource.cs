namespace OvnUnidler.Idling.Discovery;

// One resource as API discovery lists it (/api/v1, /apis/GROUP/VERSION): where its objects live
// and whether it serves a scale subresource (an entry PLURAL/scale in the same list).
public sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced, bool HasScale)
{
    public override string ToString() => Group.Length == 0 ? Plural : $"{Plural}.{Group}";
}
