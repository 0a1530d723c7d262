using System.Text;
using OvnUnidler.Ovsdb.Fuzzing.Conversation;

namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

/// <summary>
/// Replacement values chosen to confuse a decoder of OVSDB JSON-RPC: every JSON type where another
/// is expected, numbers past long and double, strings that are not UTF-8 or not UTF-16 once
/// unescaped, nesting around the readers' depth limits (64 by default, 256 for messages), the RFC
/// 7047 notation with the wrong arity, row-updates of the wrong shape, and JSON that does not close.
/// </summary>
public static class InterestingValues
{
    private static readonly (string Label, byte[] Json)[] Scalars = Build(
    [
        "0", "-1", "1", "-0", "0.0", "1.5", "1E2", "1e-400", "1e309", "-1e309", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "123456789012345678901234567890", "true", "false", "null",
        "\"\"", "\"x\"", "\"_Server\"", "\"update2\"", "\"update3\"", "\"monitor_canceled\"", "\"echo\"", "\"initial\"", "\"insert\"",
        "\"modify\"", "\"delete\"", "\"set\"", "\"map\"", "\"uuid\"", "\"named-uuid\"", "\"00000000-0000-0000-0000-000000000000\"",
        "\"6b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59\"", "\"not-a-uuid\"", "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\u00e9\\n\\\"\"",
        "\"{\\\"id\\\":1}\"", "\"\\\\\"", "\"" + CallPlan.EventsSince + "\"", "\"" + CallPlan.BalancersCond + "\"",
        "\"empty_lb_backends\"", "\"clustered\"", "\"10.96.0.10:80\"",
    ]);

    private static readonly (string Label, byte[] Json)[] Structures = Build(
    [
        "[]", "{}", "[[]]", "{\"\":null}", "[null]", "[\"uuid\"]", "[\"uuid\",\"x\"]", "[\"uuid\",5]", "[\"uuid\",\"6b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59\",1]",
        "[\"set\",1]", "[\"set\",[1,\"a\",[\"uuid\",\"x\"]]]", "[\"set\",{}]", "[\"map\",[[1,2]]]", "[\"map\",[[\"k\"]]]", "[\"map\",[[\"k\",\"v\",\"w\"]]]",
        "[\"map\",{}]", "[\"map\",[\"k\",\"v\"]]", "[\"named-uuid\",\"x\"]", "{\"initial\":null}", "{\"insert\":5}", "{\"modify\":{\"seq_num\":\"x\"}}",
        "{\"modify\":{\"event_info\":[\"map\",[[\"vip\",7]]]}}", "{\"modify\":{\"chassis\":[\"set\",[[\"uuid\",\"x\"],[\"uuid\",\"y\"]]]}}",
        "{\"delete\":{}}", "{\"initial\":{},\"insert\":{}}", "{\"nonsense\":{}}", "{\"delete\":null,\"delete\":null}",
        "[true,\"x\",{}]", "[false]", "[false,1,{}]", "[true,\"00000000-0000-0000-0000-000000000000\",[]]",
        "{\"Controller_Event\":5}", "{\"Controller_Event\":{\"x\":{}}}", "{\"Database\":{\"6b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59\":{\"initial\":{\"index\":\"x\"}}}}",
        "{\"tables\":5}", "{\"tables\":{\"Controller_Event\":5}}", "{\"tables\":{\"Controller_Event\":{\"columns\":5}}}",
        "{\"tables\":{\"Controller_Event\":{\"columns\":{\"seq_num\":{\"type\":{\"key\":\"integer\",\"max\":\"unlimited\"}}}}}}",
        "[{\"count\":\"x\"}]", "[{\"uuid\":5,\"rows\":1}]", "[{\"error\":5}]", "[{\"error\":\"e\",\"details\":5}]", "{\"error\":\"e\",\"details\":\"d\"}",
    ]);

    // Text that is not a JSON value, or not one that ends.
    private static readonly (string Label, byte[] Json)[] Broken = Build(
    [
        "{", "}", "[", "]", "\"", "\\", ",", ":", "{\"a\"", "{\"a\":}", "[1,]", "{,}", "nul", "tru", "1.", "-", "+1", "01", "0x10", "NaN",
        "Infinity", "'x'", "\"unterminated", "}{", "][", "{\"id\":1}{", "\"\\u12\"", "\"\\x\"",
    ]);

    private static readonly (string Label, byte[] Json)[] RawBytes =
    [
        ("string with 0xff 0xfe", [(byte)'"', 0xff, 0xfe, (byte)'"']),
        ("string with overlong NUL", [(byte)'"', 0xc0, 0x80, (byte)'"']),
        ("string with UTF-8 surrogate", [(byte)'"', 0xed, 0xa0, 0x80, (byte)'"']),
        ("string with cut UTF-8", [(byte)'"', 0xe2, 0x82, (byte)'"']),
        ("string with control byte", [(byte)'"', 0x01, (byte)'"']),
        ("bare 0x80", [0x80]),
        ("UTF-8 BOM", [0xef, 0xbb, 0xbf, (byte)'{', (byte)'}']),
        ("NUL byte", [0]),
    ];

    /// <summary>A replacement value and a short label for the case description.</summary>
    public static (string Label, byte[] Json) Pick(CaseRandom random) => random.Next(10) switch
    {
        < 3 => random.Pick(Scalars),
        < 5 => random.Pick(Structures),
        5 => random.Pick(Broken),
        6 => random.Pick(RawBytes),
        7 => Nested(random),
        8 => LongString(random),
        _ => PlanId(random),
    };

    /// <summary>A member name: a quoted string, sometimes one that is not a string at all.</summary>
    public static (string Label, byte[] Json) PickName(CaseRandom random) => random.Next(8) switch
    {
        < 5 => random.Pick(Names),
        5 => random.Pick(RawBytes),
        6 => random.Pick(Scalars),
        _ => LongString(random),
    };

    private static readonly (string Label, byte[] Json)[] Names = Build(
    [
        "\"id\"", "\"result\"", "\"error\"", "\"method\"", "\"params\"", "\"initial\"", "\"insert\"", "\"modify\"", "\"delete\"", "\"_uuid\"",
        "\"_version\"", "\"\"", "\"\\u0000\"", "\"\\ud800\"", "\"6b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59\"", "\"6B8F4A1C-0D2E-4F3A-9B5C-7E1D2C3B4A59\"",
        "\"{6b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59}\"", "\"6b8f4a1c0d2e4f3a9b5c7e1d2c3b4a59\"", "\"\\u0036b8f4a1c-0d2e-4f3a-9b5c-7e1d2c3b4a59\"",
        "\"not-a-uuid\"", "\"Controller_Event\"", "\"Load_Balancer\"", "\"Database\"", "\"tables\"", "\"columns\"", "\"type\"", "\"max\"",
        "\"value\"", "\"vips\"", "\"event_info\"", "\"chassis\"", "\"seq_num\"", "\"index\"", "\"count\"", "\"uuid\"", "\"rows\"", "\"details\"",
    ]);

    /// <summary>Nesting just under, at and past the readers' limits, closed or not.</summary>
    private static (string Label, byte[] Json) Nested(CaseRandom random)
    {
        int[] depths = [63, 64, 65, 255, 256, 257, 1000, 5000];
        var depth = random.Pick(depths);
        var objects = random.Chance(0.3);
        var closed = random.Chance(0.8);
        var text = new StringBuilder();
        for (var level = 0; level < depth; level++)
        {
            text.Append(objects ? "{\"a\":" : "[");
        }

        text.Append('1');
        for (var level = 0; closed && level < depth; level++)
        {
            text.Append(objects ? '}' : ']');
        }

        return ($"{(closed ? "" : "unclosed ")}{(objects ? "objects" : "arrays")} nested {depth}", Encoding.UTF8.GetBytes(text.ToString()));
    }

    private static (string Label, byte[] Json) LongString(CaseRandom random)
    {
        int[] lengths = [255, 4096, 70_000];
        var length = random.Pick(lengths);
        var escaped = random.Chance(0.3);
        var text = new StringBuilder(length + 2).Append('"');
        for (var index = 0; index < length; index++)
        {
            text.Append(escaped && index % 7 == 0 ? "\\u00e9" : "a");
        }

        return ($"{(escaped ? "escaped " : "")}string of {length}", Encoding.UTF8.GetBytes(text.Append('"').ToString()));
    }

    /// <summary>The id of another planned call: a reply is then read as the reply of another method.</summary>
    private static (string Label, byte[] Json) PlanId(CaseRandom random)
    {
        var id = random.Pick(CallPlan.All).Id;
        return ($"id {id}", Encoding.UTF8.GetBytes(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    private static (string Label, byte[] Json)[] Build(string[] values) => [.. values.Select(value => (value, Encoding.UTF8.GetBytes(value)))];
}
