namespace OvnUnidler.Holding;

/// <summary>Why a hold ends.</summary>
public enum HoldEnd
{
    /// <summary>The pods' own backends are in place: no new work arrives; held and relayed flows finish on their own.</summary>
    Drained,

    /// <summary>The wake failed or was abandoned: held TCP connections are reset and kept datagrams dropped.</summary>
    Failed,
}
