using OvnUnidler.Operator.Tests.Architecture.Fixture.Upper;

namespace OvnUnidler.Operator.Tests.Architecture.Fixture.Lower;

/// <summary>The deliberate violation: a lower layer that knows a higher one.</summary>
public sealed class LowerStage
{
    public string Name => nameof(LowerStage);

    public UpperStage Next() => new();
}
