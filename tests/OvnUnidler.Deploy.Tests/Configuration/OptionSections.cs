using System.Collections;
using System.Reflection;
using OvnUnidler.Holding;
using OvnUnidler.Idling;
using OvnUnidler.Operator.Acknowledgement;
using OvnUnidler.Operator.Configuration;

namespace OvnUnidler.Deploy.Tests.Configuration;

/// <summary>
/// The operator's configuration sections and the options class each binds to (as
/// UnidlerServiceCollectionExtensions registers them; a test checks the pairing against the real
/// registration). "Logging" is Microsoft.Extensions.Logging's own, free-form section.
/// </summary>
public static class OptionSections
{
    public const string Logging = "Logging";

    public static IReadOnlyDictionary<string, Type> Types { get; } = new Dictionary<string, Type>(StringComparer.OrdinalIgnoreCase)
    {
        [UnidlerOptions.Section] = typeof(UnidlerOptions),
        [DatabaseOptions.SouthboundSection] = typeof(DatabaseOptions),
        [DatabaseOptions.NorthboundSection] = typeof(DatabaseOptions),
        [LeaderElectionOptions.Section] = typeof(LeaderElectionOptions),
        ["Acknowledgement"] = typeof(AcknowledgementOptions),
        ["Idling"] = typeof(IdlingOptions),
        [KubernetesOptions.Section] = typeof(KubernetesOptions),
        [HttpEndpointOptions.Section] = typeof(HttpEndpointOptions),
        [HoldingOptions.Section] = typeof(HoldingOptions),
    };

    /// <summary>
    /// Why a configuration key ("Unidler:Namespaces:0", "Southbound:Remote") binds to nothing, or
    /// null when it binds to an options property. The binder ignores case, and so does this.
    /// </summary>
    public static string? Problem(string key)
    {
        var parts = key.Split(':');
        if (parts[0].Equals(Logging, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (!Types.TryGetValue(parts[0], out var type))
        {
            return $"{key}: there is no options section {parts[0]} (known: {string.Join(", ", Types.Keys)}, {Logging})";
        }

        if (parts.Length == 1)
        {
            return null;
        }

        var property = type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || !property.CanWrite)
        {
            return $"{key}: {type.Name} has no settable property {parts[1]}";
        }

        // Below a property only list indexes are meaningful (Unidler:Namespaces:0); options here hold no nested objects.
        if (parts.Length > 2 && !(parts.Length == 3 && typeof(IList).IsAssignableFrom(property.PropertyType) && int.TryParse(parts[2], out _)))
        {
            return $"{key}: {type.Name}.{property.Name} ({property.PropertyType.Name}) has no member {string.Join(':', parts[2..])}";
        }

        return null;
    }
}
