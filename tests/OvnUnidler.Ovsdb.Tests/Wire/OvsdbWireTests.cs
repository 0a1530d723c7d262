using System.Text.Json;
using OvnUnidler.Ovsdb.Wire;

namespace OvnUnidler.Ovsdb.Tests.Wire;

public sealed class OvsdbWireTests
{
    private const string A = "\"aaaaaaaa-0000-4000-8000-00000000000a\"";
    private const string B = "\"bbbbbbbb-0000-4000-8000-00000000000b\"";
    private const string C = "\"cccccccc-0000-4000-8000-00000000000c\"";

    [Fact]
    public void Writes_the_rfc_7047_notation()
    {
        var uuid = Guid.Parse("aaaaaaaa-0000-4000-8000-00000000000a");

        Assert.Equal($"[\"uuid\",{A}]", OvsdbWire.Uuid(uuid).ToJsonString());
        Assert.Equal("""["named-uuid","row1"]""", OvsdbWire.NamedUuid("row1").ToJsonString());
        Assert.Equal("""["set",[]]""", OvsdbWire.EmptySet().ToJsonString());
        Assert.Equal("""["set",["a",1]]""", OvsdbWire.Set(["a", 1]).ToJsonString());
        Assert.Equal("""["map",[["vip","10.0.0.1:80"],["protocol","tcp"]]]""", OvsdbWire.Map([new("vip", "10.0.0.1:80"), new("protocol", "tcp")]).ToJsonString());
        Assert.Equal("""["set",[]]""", OvsdbWire.OptionalUuid(null).ToJsonString());
        Assert.Equal($"[\"uuid\",{A}]", OvsdbWire.OptionalUuid(uuid).ToJsonString());
    }

    [Theory]
    [InlineData("""["set",[]]""", null)]
    [InlineData($"[\"uuid\",{A}]", "aaaaaaaa-0000-4000-8000-00000000000a")]
    [InlineData($"[\"set\",[[\"uuid\",{A}]]]", "aaaaaaaa-0000-4000-8000-00000000000a")]
    public void Reads_an_optional_uuid_as_empty_set_or_bare_atom(string json, string? expected)
    {
        Assert.Equal(expected is null ? null : Guid.Parse(expected), OvsdbWire.ReadOptionalUuid(Parse(json)));
    }

    [Theory]
    [InlineData($"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}]]]", "expected at most one uuid, got 2")]
    [InlineData("""["uuid","not-a-uuid"]""", "expected [\"uuid\", …], got [\"uuid\",\"not-a-uuid\"]")]
    [InlineData("""["named-uuid","x"]""", "expected [\"uuid\", …]")]
    [InlineData("""["set",5]""", "a set holds an array")]
    [InlineData("\"plain\"", "expected [\"uuid\", …], got \"plain\"")]
    public void Rejects_what_is_not_an_optional_uuid(string json, string problem)
    {
        Assert.Contains(problem, Assert.Throws<FormatException>(() => OvsdbWire.ReadOptionalUuid(Parse(json))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_sets_bare_atoms_and_maps()
    {
        Assert.Equal(["\"x\""], OvsdbWire.ReadSet(Parse("\"x\"")).Select(element => element.GetRawText()));
        Assert.Equal(["1", "2"], OvsdbWire.ReadSet(Parse("""["set",[1,2]]""")).Select(element => element.GetRawText()));
        Assert.Equal(new Dictionary<string, string> { ["a"] = "1", ["b"] = "" }, OvsdbWire.ReadStringMap(Parse("""["map",[["a","1"],["b",""]]]""")));
        Assert.Equal(42, OvsdbWire.ReadInteger(Parse("42")));
        Assert.Null(OvsdbWire.ReadOptionalString(Parse("""["set",[]]""")));
        Assert.Equal("tcp", OvsdbWire.ReadOptionalString(Parse("\"tcp\"")));
    }

    [Theory]
    [InlineData("""["map",[["a",1]]]""", "a string map pair must be [string, string], got [\"a\",1]")]
    [InlineData("""["map",[["a"]]]""", "a string map pair must be [string, string]")]
    [InlineData("""["set",[]]""", "expected [\"map\", […]], got [\"set\",[]]")]
    [InlineData("{}", "expected [\"map\", […]], got {}")]
    public void Rejects_what_is_not_a_string_map(string json, string problem)
    {
        Assert.Contains(problem, Assert.Throws<FormatException>(() => OvsdbWire.ReadStringMap(Parse(json))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compact_map_is_sorted_looks_up_and_shares_common_strings()
    {
        var common = new[] { "protocol", "tcp" };
        var map = OvsdbWire.ReadCompactStringMap(Parse("""["map",[["vip","10.0.0.1:80"],["protocol","tcp"],["load_balancer","lb"]]]"""), common);

        Assert.Equal(["load_balancer", "protocol", "vip"], map.Keys);
        Assert.Equal("10.0.0.1:80", map["vip"]);
        Assert.True(map.TryGetValue("load_balancer", out var loadBalancer) && loadBalancer == "lb");
        Assert.False(map.ContainsKey("missing"));
        Assert.Throws<KeyNotFoundException>(() => map["missing"]);
        Assert.Same(common[0], map.Keys.ElementAt(1));
        Assert.Same(common[1], map["protocol"]);
        Assert.Equal(3, map.Count);
        Assert.Empty(OvsdbWire.ReadCompactStringMap(Parse("""["map",[]]""")));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(40)]
    public void Compact_map_of_any_size_behaves_as_a_dictionary(int size)
    {
        var pairs = Enumerable.Range(0, size).Select(index => new KeyValuePair<string, string>($"k{index:00}", $"v{index}")).Reverse().ToArray();

        var map = OvsdbStringMap.From(pairs);

        Assert.Equal(size, map.Count);
        Assert.Equal(pairs.OrderBy(pair => pair.Key, StringComparer.Ordinal), map);
        Assert.All(pairs, pair => Assert.Equal(pair.Value, map[pair.Key]));
        Assert.False(map.TryGetValue("absent", out _));
    }

    [Fact]
    public void Compact_maps_with_the_same_pairs_are_equal_so_typed_rows_compare_by_value()
    {
        var left = OvsdbStringMap.From([new("vip", "10.0.0.1:80"), new("protocol", "tcp")]);
        var right = OvsdbStringMap.From([new("protocol", "tcp"), new("vip", "10.0.0.1:80")]);
        var uuid = Guid.NewGuid();

        Assert.Equal(left, right);
        Assert.Equal(left.GetHashCode(), right.GetHashCode());
        Assert.NotEqual(left, OvsdbStringMap.From([new("vip", "10.0.0.1:80"), new("protocol", "udp")]));
        Assert.Equal(
            new Ovn.ControllerEventRow(uuid, null, "empty_lb_backends", left, 1),
            new Ovn.ControllerEventRow(uuid, null, "empty_lb_backends", right, 1));
    }

    [Fact]
    public void Compact_map_keeps_the_last_value_of_a_repeated_key()
    {
        var map = OvsdbStringMap.From([new("b", "1"), new("a", "2"), new("b", "3")]);

        Assert.Equal(["a", "b"], map.Keys);
        Assert.Equal("3", map["b"]);
    }

    [Fact]
    public void Column_reader_defaults_absent_columns_and_names_the_column_of_a_wrong_type()
    {
        var row = Parse("""{"seq_num":"seven","vip":"x"}""");

        Assert.Equal(5, OvsdbWire.ReadColumn(row, "absent", OvsdbWire.ReadInteger, 5));
        Assert.Equal("x", OvsdbWire.ReadColumn(row, "vip", OvsdbWire.ReadString, ""));
        Assert.Equal("column seq_num: expected an integer, got \"seven\"",
            Assert.Throws<FormatException>(() => OvsdbWire.ReadColumn(row, "seq_num", OvsdbWire.ReadInteger, 0)).Message);
        Assert.Contains("a row must be an object", Assert.Throws<FormatException>(() => OvsdbWire.ReadColumn(Parse("[]"), "x", OvsdbWire.ReadInteger, 0)).Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"string"}""", OvsdbColumnKind.Single)]
    [InlineData("""{"type":{"key":"integer"}}""", OvsdbColumnKind.Single)]
    [InlineData("""{"type":{"key":{"type":"uuid","refTable":"Chassis","refType":"weak"},"min":0,"max":1}}""", OvsdbColumnKind.Single)]
    [InlineData("""{"type":{"key":"string","min":0,"max":"unlimited"}}""", OvsdbColumnKind.Set)]
    [InlineData("""{"type":{"key":{"type":"uuid","refTable":"Encap"},"min":1,"max":"unlimited"}}""", OvsdbColumnKind.Set)]
    [InlineData("""{"type":{"key":"integer","min":0,"max":4}}""", OvsdbColumnKind.Set)]
    [InlineData("""{"type":{"key":"string","value":"string","min":0,"max":"unlimited"}}""", OvsdbColumnKind.Map)]
    public void Column_kind_follows_the_schema_type(string columnSchema, OvsdbColumnKind kind)
    {
        Assert.Equal(kind, OvsdbWire.ColumnKindOf(Parse(columnSchema)));
    }

    // The diffs below are what ovsdb-server 3.1 sent in update2 "modify" for these changes.
    [Theory]
    [InlineData($"[\"uuid\",{A}]", """["set",[]]""", OvsdbColumnKind.Single, """["set",[]]""")]
    [InlineData("""["set",[]]""", $"[\"uuid\",{A}]", OvsdbColumnKind.Single, $"[\"uuid\",{A}]")]
    [InlineData($"[\"uuid\",{A}]", $"[\"uuid\",{B}]", OvsdbColumnKind.Single, $"[\"uuid\",{B}]")]
    [InlineData("3", "4", OvsdbColumnKind.Single, "4")]
    [InlineData($"[\"uuid\",{A}]", $"[\"uuid\",{B}]", OvsdbColumnKind.Set, $"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}]]]")]
    [InlineData($"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}]]]", $"[\"uuid\",{A}]", OvsdbColumnKind.Set, $"[\"uuid\",{B}]")]
    [InlineData($"[\"uuid\",{A}]", $"[\"uuid\",{A}]", OvsdbColumnKind.Set, """["set",[]]""")]
    [InlineData($"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}]]]", $"[\"set\",[[\"uuid\",{B}],[\"uuid\",{C}]]]", OvsdbColumnKind.Set, $"[\"set\",[[\"uuid\",{A}],[\"uuid\",{C}]]]")]
    [InlineData("""["map",[["a","1"],["b","2"]]]""", """["map",[["a","9"],["b","2"],["c","3"]]]""", OvsdbColumnKind.Map, """["map",[["a","9"],["c","3"]]]""")]
    [InlineData("""["map",[["a","1"]]]""", """["map",[["a","1"]]]""", OvsdbColumnKind.Map, """["map",[]]""")]
    public void Applies_an_update2_diff_by_column_kind(string old, string diff, OvsdbColumnKind kind, string expected)
    {
        var applied = OvsdbWire.ApplyDiff(Parse(old), Parse(diff), kind);

        Assert.True(OvsdbWire.ValueEquals(Parse(expected), applied), $"{applied.GetRawText()} is not {expected}");
        Assert.Equal(Parse(expected).GetRawText(), applied.GetRawText());
    }

    [Theory]
    [InlineData(OvsdbColumnKind.Set, """["set",["x","y"]]""", """["set",["x","y"]]""")]
    [InlineData(OvsdbColumnKind.Map, """["map",[["k","v"]]]""", """["map",[["k","v"]]]""")]
    [InlineData(OvsdbColumnKind.Single, "\"new\"", "\"new\"")]
    public void Applies_a_diff_to_a_column_that_was_at_its_default(OvsdbColumnKind kind, string diff, string expected)
    {
        Assert.Equal(expected, OvsdbWire.ApplyDiff(default, Parse(diff), kind).GetRawText());
    }

    [Theory]
    [InlineData($"[\"uuid\",{A}]", """["set",[]]""", """["set",[]]""")]
    [InlineData($"[\"uuid\",{A}]", $"[\"uuid\",{A}]", """["set",[]]""")]
    [InlineData($"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}]]]", $"[\"uuid\",{C}]", $"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}],[\"uuid\",{C}]]]")]
    [InlineData($"[\"uuid\",{A}]", $"[\"set\",[[\"uuid\",{B}],[\"uuid\",{C}]]]", $"[\"set\",[[\"uuid\",{A}],[\"uuid\",{B}],[\"uuid\",{C}]]]")]
    [InlineData("\"a\"", "\"b\"", "\"b\"")]
    [InlineData("""["map",[["a","1"]]]""", """["map",[["b","2"]]]""", """["map",[["a","1"],["b","2"]]]""")]
    public void Infers_the_kind_of_a_diff_without_the_schema(string old, string diff, string expected)
    {
        Assert.Equal(expected, OvsdbWire.ApplyDiff(Parse(old), Parse(diff)).GetRawText());
    }

    [Fact]
    public void Rejects_a_map_diff_that_is_not_a_map()
    {
        Assert.Throws<FormatException>(() => OvsdbWire.ApplyDiff(Parse("""["map",[]]"""), Parse("""["set",[]]"""), OvsdbColumnKind.Map));
    }

    [Theory]
    [InlineData("""["set",[1,2]]""", """["set",[2,1]]""", true)]
    [InlineData("\"x\"", """["set",["x"]]""", true)]
    [InlineData("""["map",[["a","1"],["b","2"]]]""", """["map",[["b","2"],["a","1"]]]""", true)]
    [InlineData("\"caf\\u00e9\"", "\"café\"", true)]
    [InlineData("1", "1.0", true)]
    [InlineData("""["set",[1,2]]""", """["set",[1,3]]""", false)]
    [InlineData("""["map",[["a","1"]]]""", """["map",[["a","2"]]]""", false)]
    [InlineData($"[\"uuid\",{A}]", $"[\"uuid\",{B}]", false)]
    public void Compares_values_as_ovsdb_means_them(string left, string right, bool equal)
    {
        Assert.Equal(equal, OvsdbWire.ValueEquals(Parse(left), Parse(right)));
    }

    [Theory]
    [InlineData("""{"seq_num":5,"chassis":["set",[]],"event_info":["map",[]],"event_type":""}""", """{"seq_num":5}""", true)]
    [InlineData("""{"seq_num":5,"nb_cfg":0,"up":false}""", """{"seq_num":5}""", true)]
    [InlineData("""{"seq_num":5}""", """{"seq_num":6}""", false)]
    [InlineData("""{"seq_num":5,"event_type":"empty_lb_backends"}""", """{"seq_num":5}""", false)]
    public void Compares_rows_with_absent_columns_at_their_default(string left, string right, bool equal)
    {
        Assert.Equal(equal, OvsdbWire.RowEquals(Parse(left), Parse(right)));
        Assert.Equal(equal, OvsdbWire.RowEquals(Parse(right), Parse(left)));
    }

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
