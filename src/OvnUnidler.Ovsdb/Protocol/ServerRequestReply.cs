using System.Text.Json;
using System.Text.Json.Nodes;

namespace OvnUnidler.Ovsdb.Protocol;

/// <summary>The client's answer to a request the server sends it.</summary>
public static class ServerRequestReply
{
    // The request was read as a message, which may nest this deep; its echo must not fail to parse.
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = JsonRpcMessage.MaxDepth };

    /// <summary>RFC 7047 section 4.1.11: echo returns its params unchanged; it is the only request a server sends.</summary>
    public static JsonObject For(JsonRpcMessage request)
    {
        var reply = request.Method == "echo"
            ? new JsonObject { ["result"] = JsonNode.Parse(request.Params.Span, documentOptions: Options), ["error"] = null }
            : new JsonObject { ["result"] = null, ["error"] = $"unknown method {request.Method}" };
        reply["id"] = JsonNode.Parse(request.Id!, documentOptions: Options);
        return reply;
    }
}
