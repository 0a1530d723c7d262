namespace OvnUnidler.KubernetesDouble.Tables;

// A request for the Table representation (API concepts, "Receiving resources as Tables"): an
// Accept entry application/json;as=Table;v=v1;g=meta.k8s.io (or v1beta1), and includeObject
// saying what each row carries besides its cells (None, Metadata by default, or Object).
internal sealed record TableRequest(string Version, string IncludeObject)
{
    public static TableRequest? From(string? accept, string? includeObject)
    {
        foreach (var entry in (accept ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parameters = entry.Split(';', StringSplitOptions.TrimEntries).Skip(1)
                .Select(parameter => parameter.Split('=', 2))
                .Where(pair => pair.Length == 2)
                .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
            if (parameters.GetValueOrDefault("as") == "Table" && parameters.GetValueOrDefault("g") == "meta.k8s.io"
                && parameters.GetValueOrDefault("v") is "v1" or "v1beta1")
            {
                return new TableRequest(parameters["v"], includeObject is "None" or "Object" ? includeObject : "Metadata");
            }
        }

        return null;
    }

    public string ContentType => $"application/json;as=Table;v={Version};g=meta.k8s.io";
}
