namespace OrleansConfig.Client;

/// <summary>Why a subscription took a snapshot.</summary>
internal enum ResyncReason
{
    Initial,
    Gap,
    EpochChanged,
    Behind,
    Reconnected,
    StreamError,
    Fault,
}
