using System.Text;
using System.Text.Json;
using OvnUnidler.KubernetesDouble.Errors;

namespace OvnUnidler.KubernetesDouble.Registry;

// The opaque ?continue= value: the list's resourceVersion and the last key returned, so the
// next page is served from the same snapshot and starts after that key. ResourceVersion -1 is
// the token a 410 hands back for an expired one: the rest of the list from the current state.
internal sealed record ContinueToken(long ResourceVersion, string Namespace, string Name)
{
    private const long Latest = -1;

    public bool IsInconsistent => ResourceVersion == Latest;

    // ListOptions.continue: "If the specified continue value is no longer valid whether due to
    // expiration ... the server will respond with a 410 ResourceExpired error together with a
    // continue token. ... the client may send another list request with the token received with
    // the 410 error, the server will respond with a list starting from the next key, but from the
    // latest snapshot, which is inconsistent from the previous list results".
    public static ApiError ExpiredError(ContinueToken expired) =>
        ApiError.Expired(
            "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, "
            + "or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an "
            + "inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.")
        with
        {
            Continue = (expired with { ResourceVersion = Latest }).Encode(),
        };

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
            return parts is { Length: 3 } && long.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var version) && (version > 0 || version == Latest)
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
