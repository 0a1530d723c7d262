using System.Text.RegularExpressions;

namespace OvnUnidler.Lab.Network;

/// <summary>
/// What a real-traffic lab names on the host, so that labs run side by side and the reaper finds
/// exactly the leftovers of dead owners: network namespaces "ovnu-PID-START-LAB-ROLE" (ip-netns
/// names may be long; the links inside them need no unique names, since each lives in its lab's
/// own namespaces) and the directory /tmp/ovnrt-LAB with an "owner" file. A lab with a host link
/// also has the link "ovnuLAB" in the host's namespace: one end of a veth whose other end is in the
/// lab's namespace "hostlink", so it goes when that namespace goes and needs no owner of its own.
/// </summary>
public static partial class LabNames
{
    public const string NamespacePrefix = "ovnu-";
    public const string DirectoryPrefix = "/tmp/ovnrt-";
    public const string OwnerFile = "owner";

    public static string Namespace(LabOwner owner, string lab, string role) => $"{NamespacePrefix}{owner.Token}-{lab}-{role}";

    /// <summary>"ovnu" and the lab's eight hex digits: 12 characters, within a link name's 15.</summary>
    public static string HostLink(string lab) => NamespacePrefix[..^1] + lab;

    public static bool TryParseNamespace(string name, out LabOwner owner, out string lab)
    {
        owner = default;
        lab = string.Empty;
        var match = NamespacePattern().Match(name);
        if (!match.Success || !LabOwner.TryParse($"{match.Groups[1].Value}-{match.Groups[2].Value}", out owner))
        {
            return false;
        }

        lab = match.Groups[3].Value;
        return true;
    }

    [GeneratedRegex("^ovnu-([0-9]+)-([0-9]+)-([0-9a-f]+)-[a-z0-9-]+$")]
    private static partial Regex NamespacePattern();
}
