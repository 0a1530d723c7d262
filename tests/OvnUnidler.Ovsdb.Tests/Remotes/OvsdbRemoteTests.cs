using OvnUnidler.Ovsdb.Remotes;

namespace OvnUnidler.Ovsdb.Tests.Remotes;

public sealed class OvsdbRemoteTests
{
    [Theory]
    [InlineData("unix:/var/run/ovn/ovnsb_db.sock", RemoteKind.Unix, "", 0, "/var/run/ovn/ovnsb_db.sock")]
    [InlineData("unix:relative.sock", RemoteKind.Unix, "", 0, "relative.sock")]
    [InlineData("tcp:127.0.0.1:6642", RemoteKind.Tcp, "127.0.0.1", 6642, "")]
    [InlineData("  tcp:10.0.0.1:6642 ", RemoteKind.Tcp, "10.0.0.1", 6642, "")]
    [InlineData("ssl:ovnsb.example.com:6642", RemoteKind.Ssl, "ovnsb.example.com", 6642, "")]
    [InlineData("tcp:[::1]:6642", RemoteKind.Tcp, "::1", 6642, "")]
    [InlineData("ssl:[fd00:10::5]:1", RemoteKind.Ssl, "fd00:10::5", 1, "")]
    [InlineData("tcp:10.0.0.1", RemoteKind.Tcp, "10.0.0.1", 6640, "")]
    [InlineData("ssl:[2001:db8::1]", RemoteKind.Ssl, "2001:db8::1", 6640, "")]
    [InlineData("tcp:host:65535", RemoteKind.Tcp, "host", 65535, "")]
    public void Parses_remote(string text, RemoteKind kind, string host, int port, string path)
    {
        var remote = OvsdbRemote.Parse(text);

        Assert.Equal(new OvsdbRemote(kind, host, port, path), remote);
    }

    [Theory]
    [InlineData("unix:", "needs a socket path")]
    [InlineData("http://10.0.0.1:6642", "is not unix:PATH")]
    [InlineData("tcp::6642", "the host is empty")]
    [InlineData("tcp:::1:6642", "an IPv6 host goes in brackets")]
    [InlineData("tcp:[::1", "an IPv6 host is written")]
    [InlineData("tcp:[::1]6642", "an IPv6 host is written")]
    [InlineData("tcp:10.0.0.1:0", "port '0' is not 1-65535")]
    [InlineData("ssl:10.0.0.1:65536", "port '65536' is not 1-65535")]
    [InlineData("tcp:10.0.0.1:-1", "port '-1'")]
    [InlineData("tcp:10.0.0.1:", "port ''")]
    [InlineData("tcp:10.0.0.1:66x", "port '66x'")]
    public void Rejects_malformed_remote_naming_the_problem(string text, string problem)
    {
        var error = Assert.Throws<FormatException>(() => OvsdbRemote.Parse(text));

        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(text.Trim(), error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unix:/run/sb.sock")]
    [InlineData("tcp:127.0.0.1:6642")]
    [InlineData("ssl:[::1]:6642")]
    public void Writes_remote_back_as_parsed(string text)
    {
        Assert.Equal(text, OvsdbRemote.Parse(text).ToString());
    }

    [Fact]
    public void Parses_a_clusters_comma_separated_members_in_order()
    {
        var remotes = OvsdbRemote.ParseList("ssl:10.0.0.1:6642, ssl:10.0.0.2:6642,ssl:[fd00::3]:6642,");

        Assert.Equal(["ssl:10.0.0.1:6642", "ssl:10.0.0.2:6642", "ssl:[fd00::3]:6642"], remotes.Select(remote => remote.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData(" , ,")]
    public void Rejects_an_empty_list(string text)
    {
        Assert.Equal("no remote given", Assert.Throws<FormatException>(() => OvsdbRemote.ParseList(text)).Message);
    }

    [Fact]
    public void Rejects_a_list_with_one_bad_member_naming_it()
    {
        var error = Assert.Throws<FormatException>(() => OvsdbRemote.ParseList("tcp:10.0.0.1:6642,tcp:10.0.0.2:port"));

        Assert.Contains("tcp:10.0.0.2:port", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Client_refuses_an_ssl_remote_without_key_certificate_and_ca()
    {
        var error = Assert.Throws<ArgumentException>(() => new OvsdbClient(new OvsdbClientOptions { Remote = "ssl:10.0.0.1:6642" }));

        Assert.Contains("PrivateKeyFile, CertificateFile and CaCertificateFile", error.Message, StringComparison.Ordinal);
    }
}
