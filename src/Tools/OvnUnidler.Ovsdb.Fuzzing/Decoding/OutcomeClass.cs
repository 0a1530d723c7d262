namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

public enum OutcomeClass
{
    /// <summary>Every message decoded and applied; call errors the server sent are part of the conversation.</summary>
    Accepted,

    /// <summary>The client stopped at a documented error (the kind names the stage and the exception).</summary>
    Rejected,

    /// <summary>An exception the client does not document escaped the decoder.</summary>
    Crash,

    /// <summary>The case did not finish within the time bound.</summary>
    Hang,
}
