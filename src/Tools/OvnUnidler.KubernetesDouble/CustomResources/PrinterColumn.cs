namespace OvnUnidler.KubernetesDouble.CustomResources;

// additionalPrinterColumns entry (or a built-in kind's column): a Table column definition and,
// for a CRD, the JSON path its cells come from.
internal sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority = 0, string Format = "", string Description = "");
