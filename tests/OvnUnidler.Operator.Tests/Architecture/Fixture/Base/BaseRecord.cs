namespace OvnUnidler.Operator.Tests.Architecture.Fixture.Base;

public sealed record BaseRecord(string Name);
