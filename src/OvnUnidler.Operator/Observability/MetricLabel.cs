using System.Collections.Frozen;
using System.Text.Json;

namespace OvnUnidler.Operator.Observability;

/// <summary>An enum value as a Prometheus label value (snake_case), computed once per value rather than per observation.</summary>
internal static class MetricLabel<TEnum> where TEnum : struct, Enum
{
    private static readonly FrozenDictionary<TEnum, string> Names =
        Enum.GetValues<TEnum>().ToFrozenDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    public static string Of(TEnum value) =>
        Names.TryGetValue(value, out var name) ? name : JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
