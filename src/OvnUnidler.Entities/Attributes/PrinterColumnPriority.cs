namespace OvnUnidler.Entities.Attributes;

// kubectl shows priority 0 columns always and higher ones only with `-o wide`.
public enum PrinterColumnPriority
{
    StandardView,
    WideView,
}
