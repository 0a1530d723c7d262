namespace OvnUnidler.Deploy.Tests.Publishing;

/// <summary>One Dockerfile instruction (continuation lines joined), in the stage it belongs to.</summary>
public sealed record DockerfileInstruction(string Keyword, string Arguments, int Stage, int Line);
