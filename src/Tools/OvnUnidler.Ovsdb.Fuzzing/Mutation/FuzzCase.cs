namespace OvnUnidler.Ovsdb.Fuzzing.Mutation;

/// <summary>
/// One input to the decoder, regenerated exactly from (<see cref="Seed"/>, <see cref="Number"/>):
/// the bytes a server sends, the sizes of the reads they arrive in, and how they are decoded.
/// </summary>
/// <param name="Chunks">Sizes of successive reads; they add up to the length of <see cref="Bytes"/>.</param>
/// <param name="StreamThreshold">For <see cref="DecodeTransport.Direct"/>: the framer's streaming threshold.</param>
public sealed record FuzzCase(
    long Seed, long Number, string SeedName, byte[] Bytes, int[] Chunks, DecodeTransport Transport, int StreamThreshold, string Description);
