using System.Text.Json.Nodes;
using OvnUnidler.KubernetesDouble.CustomResources;

namespace OvnUnidler.KubernetesDouble.Tables;

// One column of a Table: its definition and how a row's cell is computed from the object and
// the server's clock (ages are computed by the server, as a real one does).
internal sealed record TableColumn(PrinterColumn Definition, Func<JsonObject, DateTimeOffset, JsonNode?> Cell);
