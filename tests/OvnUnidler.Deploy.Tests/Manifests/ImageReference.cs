namespace OvnUnidler.Deploy.Tests.Manifests;

/// <summary>A container image reference split as kustomize's images transformer sees it: name, then ":tag" or "@digest".</summary>
public sealed record ImageReference(string Name, string Suffix)
{
    public static ImageReference Parse(string image)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            return new ImageReference(image[..at], image[at..]);
        }

        // A colon after the last slash starts the tag; one before it belongs to a registry port.
        var colon = image.LastIndexOf(':');
        return colon > image.LastIndexOf('/') ? new ImageReference(image[..colon], image[colon..]) : new ImageReference(image, string.Empty);
    }
}
