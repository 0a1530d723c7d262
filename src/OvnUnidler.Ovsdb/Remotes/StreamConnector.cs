using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;

namespace OvnUnidler.Ovsdb.Remotes;

/// <summary>Opens the byte stream to one remote: a unix socket, TCP, or TLS over TCP.</summary>
public static class StreamConnector
{
    public static async Task<Stream> ConnectAsync(OvsdbRemote remote, OvsdbTlsSettings? tls, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        Socket? socket = null;
        try
        {
            if (remote.Kind == RemoteKind.Unix)
            {
                socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(remote.Path), deadline.Token).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }

            socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            if (IPAddress.TryParse(remote.Host, out var address))
            {
                await socket.ConnectAsync(new IPEndPoint(address, remote.Port), deadline.Token).ConfigureAwait(false);
            }
            else
            {
                await socket.ConnectAsync(remote.Host, remote.Port, deadline.Token).ConfigureAwait(false);
            }

            var network = new NetworkStream(socket, ownsSocket: true);
            if (remote.Kind == RemoteKind.Tcp)
            {
                return network;
            }

            var settings = tls ?? throw new InvalidOperationException($"{remote} needs a private key, a certificate and a CA certificate");
            var ssl = new SslStream(network, leaveInnerStreamOpen: false);
            try
            {
                await ssl.AuthenticateAsClientAsync(ClientOptions(remote, settings), deadline.Token).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            return ssl;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            socket?.Dispose();
            throw new TimeoutException($"connecting to {remote} took longer than {timeout}");
        }
        catch
        {
            socket?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// As OVS's own SSL does, the peer is trusted when its certificate chains to the configured CA;
    /// host names are not checked (OVN certificates name chassis and databases, not DNS names).
    /// </summary>
    private static SslClientAuthenticationOptions ClientOptions(OvsdbRemote remote, OvsdbTlsSettings settings)
    {
        var clientCertificate = X509Certificate2.CreateFromPemFile(settings.CertificateFile, settings.PrivateKeyFile);
        var authority = X509CertificateLoader.LoadCertificateFromFile(settings.CaCertificateFile);
        return new SslClientAuthenticationOptions
        {
            TargetHost = remote.Host,
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
                {
                    return false;
                }

                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(authority);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(X509CertificateLoader.LoadCertificate(certificate.GetRawCertData()));
            },
        };
    }
}
