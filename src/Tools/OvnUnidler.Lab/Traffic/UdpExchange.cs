using System.Globalization;
using System.Text.RegularExpressions;

namespace OvnUnidler.Lab.Traffic;

/// <summary>
/// The UDP client's report: its first datagram, the first answer (null: none), how many queries it
/// sent, on the wall clock (UTC), and the answer's source address ("-" when none): the VIP when
/// OVN's conntrack un-NATed a backend's reply.
/// </summary>
public sealed partial record UdpExchange(DateTime FirstSentAt, DateTime? AnsweredAt, int Attempts, string AnsweredFrom, string Answer)
{
    public static UdpExchange Parse(string line)
    {
        var match = ReportLine().Match(line ?? throw new ArgumentNullException(nameof(line)));
        if (!match.Success)
        {
            throw new FormatException($"not a udp-query report: {line}");
        }

        static DateTime At(string text) => DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return new UdpExchange(
            At(match.Groups[1].Value),
            match.Groups[2].Value == "-" ? null : At(match.Groups[2].Value),
            int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture),
            match.Groups[4].Value,
            match.Groups[5].Value);
    }

    [GeneratedRegex("^first-sent=(\\S+) answered=(\\S+) attempts=(\\d+) from=(\\S+) answer=(.*)$")]
    private static partial Regex ReportLine();
}
