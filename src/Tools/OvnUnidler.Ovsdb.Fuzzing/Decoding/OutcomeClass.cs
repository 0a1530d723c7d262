namespace OvnUnidler.Ovsdb.Fuzzing.Decoding;

public enum OutcomeClass
{
    /// <summary>Every message decoded and applied; call errors the server sent are part of the conversation.</summary>
    Accepted,

    /// <summary>The client stopped at a documented error (the kind names the stage and the exception).</summary>
    Rejected,

    /// <summary>An exception the client does not document escaped the decoder.</summary>
    Crash,

    /// <summary>The case used more CPU time than its limit, or spun without progress (<see cref="Running.CaseLimits"/>).</summary>
    Hang,

    /// <summary>
    /// The case neither finished nor was judged by its CPU time within the wall-clock backstop: it
    /// waits for something that never comes, or the machine gave it no CPU. Not a hang: wall-clock
    /// time measures the machine's load as much as the case.
    /// </summary>
    Stalled,
}
