using System.Xml.Linq;
using OvnUnidler.Deploy.Tests.Manifests;

namespace OvnUnidler.Deploy.Tests.Publishing;

/// <summary>A project and every project it references, transitively (repository-relative directories).</summary>
public static class ProjectClosure
{
    public const string Operator = "src/OvnUnidler.Operator/OvnUnidler.Operator.csproj";

    public static IReadOnlyList<string> Of(string project)
    {
        var found = new List<string>();
        Visit(Repository.Combine(project.Split('/')), found);
        return found;
    }

    /// <summary>The AssemblyName a project sets, or its file name.</summary>
    public static string AssemblyName(string project)
    {
        var path = Repository.Combine(project.Split('/'));
        return XDocument.Load(path).Descendants("AssemblyName").SingleOrDefault()?.Value ?? Path.GetFileNameWithoutExtension(path);
    }

    private static void Visit(string path, List<string> found)
    {
        var relative = Repository.Relative(path);
        if (found.Contains(relative))
        {
            return;
        }

        found.Add(relative);
        foreach (var reference in XDocument.Load(path).Descendants("ProjectReference"))
        {
            Visit(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference.Attribute("Include")!.Value)), found);
        }
    }
}
