namespace OvnUnidler.Ovsdb.Remotes;

/// <summary>PEM files, as ovn-controller and ovsdb-client take them (--private-key, --certificate, --ca-cert).</summary>
public sealed record OvsdbTlsSettings(string PrivateKeyFile, string CertificateFile, string CaCertificateFile);
