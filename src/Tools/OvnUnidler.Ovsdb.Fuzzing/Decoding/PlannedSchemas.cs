using System.Text.Json;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;
using OvnUnidler.Ovsdb.Fuzzing.Seeds;
using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

/// <summary>
/// The schemas the recorded servers sent (the get_schema replies in the seeds), read once: every
/// case's monitors start with the column kinds the client would have read before monitoring.
/// </summary>
public static class PlannedSchemas
{
    public static IReadOnlyDictionary<string, JsonElement> From(SeedCorpus corpus)
    {
        var schemas = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var seed in corpus.Seeds)
        {
            var framer = new JsonStreamFramer();
            seed.Bytes.CopyTo(framer.GetWriteMemory(seed.Bytes.Length));
            framer.Advance(seed.Bytes.Length);
            while (framer.TryRead(out var message))
            {
                if (message.IsResponse && message.Error is null && message.NumericId is { } id
                    && CallPlan.ById.TryGetValue(id, out var call) && call.Kind == CallKind.GetSchema)
                {
                    schemas[call.Database!] = MethodResults.Schema(message, call.Database!);
                }
            }
        }

        return schemas;
    }
}
