namespace OvnUnidler.Operator.Commands;

public sealed class CommandLineException(string message) : Exception(message);
