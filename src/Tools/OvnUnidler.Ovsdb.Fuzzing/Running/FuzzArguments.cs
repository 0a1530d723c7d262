using System.Globalization;

namespace OvnUnidler.Ovsdb.Fuzzing.Running;

/// <summary>The fuzz command's options.</summary>
public sealed record FuzzArguments(FuzzOptions Options, long? Case, string? Corpus, double ConnectionShare)
{
    public static bool TryParse(IReadOnlyList<string> args, out FuzzArguments parsed)
    {
        var limits = new CaseLimits();
        long cases = 100_000, seed = 1, first = 0, cpuLimit = (long)limits.Cpu.TotalMilliseconds, backstop = (long)limits.WallClockBackstop.TotalSeconds;
        long? single = null;
        string? output = null, corpus = null;
        var share = 0.25;
        parsed = null!;
        for (var index = 0; index < args.Count; index++)
        {
            var value = index + 1 < args.Count ? args[index + 1] : null;
            switch (args[index])
            {
                case "--cases" when Number(value, out cases):
                case "--seed" when Number(value, out seed):
                case "--first" when Number(value, out first):
                case "--cpu-limit-ms" when Number(value, out cpuLimit) && cpuLimit > 0:
                case "--backstop-s" when Number(value, out backstop) && backstop > 0:
                    index++;
                    break;
                case "--case" when Number(value, out var number):
                    single = number;
                    index++;
                    break;
                case "--connection-share" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out share) && share is >= 0 and <= 1:
                    index++;
                    break;
                case "--out" when value is not null:
                    output = value;
                    index++;
                    break;
                case "--corpus" when value is not null:
                    corpus = value;
                    index++;
                    break;
                default:
                    return false;
            }
        }

        parsed = new FuzzArguments(
            new FuzzOptions
            {
                Cases = cases,
                Seed = seed,
                FirstCase = first,
                OutputDirectory = output,
                Limits = limits with
                {
                    Cpu = TimeSpan.FromMilliseconds(cpuLimit),
                    CpuWithoutProgress = TimeSpan.FromMilliseconds(cpuLimit) / 2,
                    WallClockBackstop = TimeSpan.FromSeconds(backstop),
                },
            },
            single,
            corpus,
            share);
        return true;
    }

    private static bool Number(string? text, out long value) => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out value);
}
