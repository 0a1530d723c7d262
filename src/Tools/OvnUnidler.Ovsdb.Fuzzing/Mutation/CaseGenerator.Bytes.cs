namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

public sealed partial class CaseGenerator
{
    // Bytes that change how the framer and the JSON reader see what follows.
    private static readonly byte[] Structural = "{}[]\",:\\ \n0-etn"u8.ToArray();
    private static readonly byte[] Special = [0x00, 0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xfe, 0xff];

    /// <summary>One to three edits of raw bytes: what a broken peer or a corrupted stream sends.</summary>
    private static byte[] MutateBytes(CaseRandom random, byte[] bytes, List<string> steps)
    {
        var count = random.Count(3);
        for (var index = 0; index < count; index++)
        {
            var at = random.Next(bytes.Length + 1);
            var length = Math.Min(random.Count(64, 0.6), bytes.Length - Math.Min(at, bytes.Length));
            switch (random.Next(7))
            {
                case 0 when at < bytes.Length:
                    var bit = random.Next(8);
                    steps.Add($"flip bit {bit} @{at}");
                    bytes = (byte[])bytes.Clone();
                    bytes[at] ^= (byte)(1 << bit);
                    break;
                case 1 when at < bytes.Length:
                    var value = random.Chance(0.6) ? random.Pick(Structural) : random.Pick(Special);
                    steps.Add($"byte @{at} = 0x{value:x2}");
                    bytes = (byte[])bytes.Clone();
                    bytes[at] = value;
                    break;
                case 2:
                    var inserted = new byte[random.Count(8)];
                    for (var position = 0; position < inserted.Length; position++)
                    {
                        inserted[position] = random.Chance(0.5) ? random.Pick(Structural) : (byte)random.Next(256);
                    }

                    steps.Add($"insert {Convert.ToHexString(inserted)} @{at}");
                    bytes = Replace(bytes, at, 0, inserted);
                    break;
                case 3 when length > 0:
                    steps.Add($"delete {length} @{at}");
                    bytes = Replace(bytes, at, length, []);
                    break;
                case 4 when length > 0:
                    var to = random.Next(bytes.Length + 1);
                    steps.Add($"copy {length} @{at} to @{to}");
                    bytes = Replace(bytes, to, 0, bytes.AsSpan(at, length).ToArray());
                    break;
                case 5:
                    // Whitespace is legal between any two tokens and between messages.
                    byte[] blanks = [(byte)' ', (byte)'\n', (byte)'\t', (byte)'\r'];
                    var blank = new byte[random.Count(4)];
                    Array.Fill(blank, random.Pick(blanks));
                    steps.Add($"insert {blank.Length} blanks @{at}");
                    bytes = Replace(bytes, at, 0, blank);
                    break;
                default:
                    var (label, json) = InterestingValues.Pick(random);
                    steps.Add($"insert {Short(label)} @{at}");
                    bytes = Replace(bytes, at, 0, json);
                    break;
            }
        }

        return bytes;
    }
}
