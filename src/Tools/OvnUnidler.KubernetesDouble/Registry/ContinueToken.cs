using System.Text;
using System.Text.Json;

namespace OvnUnidler.KubernetesDouble.Registry;

// The opaque ?continue= value: the list's resourceVersion and the last key returned, so the
// next page is served from the same snapshot and starts after that key.
internal sealed record ContinueToken(long ResourceVersion, string Namespace, string Name)
{
    public string Encode() =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new[] { ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), Namespace, Name }))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static ContinueToken? Decode(string text)
    {
        try
        {
            var base64 = text.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var parts = JsonSerializer.Deserialize<string[]>(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
            return parts is { Length: 3 } && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var version)
                ? new ContinueToken(version, parts[1], parts[2])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
