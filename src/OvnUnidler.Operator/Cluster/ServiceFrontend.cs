using System.Net;
using OvnUnidler.Operator.Model;

namespace OvnUnidler.Operator.Cluster;

/// <summary>One address, port and protocol on which a Service receives traffic.</summary>
public readonly record struct ServiceFrontend(IPAddress? Address, int Port, TransportProtocol Protocol, MatchedBy Kind);
