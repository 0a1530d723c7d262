using OvnUnidler.Ovsdb.Protocol;

namespace OvnUnidler.Ovsdb.Monitoring;

/// <summary>The rows of one message's table-updates for one monitor, and the monitor_cond_since prefix.</summary>
internal interface ITableUpdateCollector : IJsonRpcResultSink
{
    /// <summary>monitor_cond_since: whether the server found the last transaction id and sent only what followed.</summary>
    bool Found { get; }

    /// <summary>monitor_cond_since: the id of the last transaction the reply reflects.</summary>
    string? TransactionId { get; }

    int Count { get; }

    /// <summary>The call failed: stops handing streamed rows on once those already read are handled.</summary>
    ValueTask AbandonAsync();
}
