using OvnUnidler.Ovsdb.Fuzzing.Seeds;

namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

public sealed partial class CaseGenerator
{
    /// <summary>
    /// Messages of two conversations mixed: one of another seed inserted or replacing one, the start
    /// of one stream with the end of another, or a message repeated. Replies then meet the calls of
    /// another conversation (same ids, other methods) and updates meet monitors in another state.
    /// </summary>
    private (byte[] Bytes, IReadOnlyList<TokenSpan> Spans) Splice(CaseRandom random, byte[] bytes, IReadOnlyList<TokenSpan> spans, List<string> steps)
    {
        var messages = SeedTokens.Messages(spans);
        var donorIndex = random.Next(corpus.Seeds.Count);
        var donorBytes = corpus.Seeds[donorIndex].Bytes;
        var donorMessages = SeedTokens.Messages(corpus.Tokens[donorIndex]);
        if (messages.Count == 0 || donorMessages.Count == 0)
        {
            return (bytes, spans);
        }

        var donor = random.Pick(donorMessages);
        var donorMessage = donorBytes.AsSpan(donor.Start, donor.Length);
        var target = random.Pick(messages);
        var donorName = corpus.Seeds[donorIndex].Name;
        switch (random.Next(4))
        {
            case 0:
                steps.Add($"insert {donorName} message @{donor.Start} before @{target.Start}");
                bytes = Replace(bytes, target.Start, 0, donorMessage);
                break;
            case 1:
                steps.Add($"replace message @{target.Start} by {donorName} message @{donor.Start}");
                bytes = Replace(bytes, target.Start, target.Length, donorMessage);
                break;
            case 2:
                steps.Add($"cut @{target.Start}, then {donorName} from @{donor.Start}");
                bytes = Replace(bytes, target.Start, bytes.Length - target.Start, donorBytes.AsSpan(donor.Start));
                break;
            default:
                var times = random.Count(40, 0.8);
                steps.Add($"message @{target.Start} repeated {times} more");
                bytes = Replace(bytes, target.End, 0, Repeat(bytes.AsSpan(target.Start, target.Length), times, leadingComma: false));
                break;
        }

        return (bytes, SeedTokens.Find(bytes));
    }
}
