namespace OvnUnidler.Lab.Databases;

/// <summary>PEM files as ovsdb-server and the OVN daemons take them (--private-key, --certificate, --ca-cert).</summary>
public sealed record OvsdbTlsFiles(string PrivateKey, string Certificate, string CaCertificate);
