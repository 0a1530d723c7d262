using Microsoft.Extensions.Configuration;

namespace OvnUnidler.Deploy.Tests.Configuration;

/// <summary>The configuration keys ("Unidler:Mode") a JSON settings file defines, read by the same provider the operator uses.</summary>
public static class JsonKeys
{
    public static IReadOnlyList<string> Of(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build()
            .AsEnumerable().Select(pair => pair.Key).Where(key => key.Length > 0).ToList();

    public static IReadOnlyList<string> OfFile(string path) => Of(File.ReadAllText(path));
}
