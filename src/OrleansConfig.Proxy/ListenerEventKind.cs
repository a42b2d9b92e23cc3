namespace OrleansConfig.Proxy;

internal enum ListenerEventKind
{
    Opened,
    Closed,
    Failed,
}
