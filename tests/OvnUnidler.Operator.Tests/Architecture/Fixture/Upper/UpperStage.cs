using OvnUnidler.Operator.Tests.Architecture.Fixture.Base;
using OvnUnidler.Operator.Tests.Architecture.Fixture.Lower;

namespace OvnUnidler.Operator.Tests.Architecture.Fixture.Upper;

public sealed class UpperStage
{
    public BaseRecord Describe(LowerStage lower) => new(lower.Name);
}
