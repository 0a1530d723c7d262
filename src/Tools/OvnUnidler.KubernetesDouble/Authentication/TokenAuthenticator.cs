using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace OvnUnidler.KubernetesDouble.Authentication;

// Bearer tokens ("Authenticating", "Putting a bearer token in a request"): a token the double
// issued maps to its user; a request with no Authorization header is anonymous; a token the double
// does not know fails authentication, which the API server answers with 401 Unauthorized.
internal sealed class TokenAuthenticator
{
    private readonly ConcurrentDictionary<string, UserInfo> tokens = new(StringComparer.Ordinal);

    public string Issue(UserInfo user)
    {
        var token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        tokens[token] = user;
        return token;
    }

    // The user, or null when the credentials are refused.
    public UserInfo? Authenticate(string? authorization)
    {
        if (string.IsNullOrEmpty(authorization))
        {
            return UserInfo.Anonymous;
        }

        const string Bearer = "Bearer ";
        if (!authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return tokens.TryGetValue(authorization[Bearer.Length..].Trim(), out var user) ? user : null;
    }
}
