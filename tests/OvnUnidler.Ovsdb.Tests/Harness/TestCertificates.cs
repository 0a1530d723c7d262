using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using OvnUnidler.Lab.Databases;

namespace OvnUnidler.Ovsdb.Tests.Harness;

/// <summary>
/// A throwaway PKI written as PEM files, as ovsdb-server and OVN daemons take them (--private-key,
/// --certificate, --ca-cert): one CA, and certificates it signed for the server and the client.
/// </summary>
public sealed class TestCertificates
{
    private TestCertificates(OvsdbTlsFiles server, OvsdbTlsFiles client)
    {
        Server = server;
        Client = client;
    }

    public OvsdbTlsFiles Server { get; }

    public OvsdbTlsFiles Client { get; }

    public static TestCertificates Create(string directory, string prefix = "")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={prefix}test-ca", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var ca = caRequest.CreateSelfSigned(notBefore, notBefore.AddDays(1));
        var caPath = Path.Combine(directory, $"{prefix}ca.pem");
        File.WriteAllText(caPath, ca.ExportCertificatePem());
        return new TestCertificates(Issue(directory, $"{prefix}server", ca, caKey, caPath), Issue(directory, $"{prefix}client", ca, caKey, caPath));
    }

    private static OvsdbTlsFiles Issue(string directory, string name, X509Certificate2 ca, ECDsa caKey, string caPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        var serial = RandomNumberGenerator.GetBytes(8);
        using var certificate = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), ca.NotBefore, ca.NotAfter, serial);
        var keyPath = Path.Combine(directory, $"{name}-key.pem");
        var certificatePath = Path.Combine(directory, $"{name}-cert.pem");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        return new OvsdbTlsFiles(keyPath, certificatePath, caPath);
    }
}
