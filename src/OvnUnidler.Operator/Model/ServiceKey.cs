namespace OvnUnidler.Operator.Model;

public readonly record struct ServiceKey(string Namespace, string Name)
{
    /// <summary>Parses NAMESPACE/NAME as ovn-kubernetes writes it in k8s.ovn.org/owner.</summary>
    public static bool TryParse(string? text, out ServiceKey key)
    {
        key = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == text.Length - 1 || text.IndexOf('/', slash + 1) >= 0)
        {
            return false;
        }

        key = new ServiceKey(text[..slash], text[(slash + 1)..]);
        return true;
    }

    public override string ToString() => $"{Namespace}/{Name}";
}
