namespace OrleansConfig.Client;

/// <summary>
/// Re-raises the client's cluster connection events so subscriptions, created after the client, can react to a
/// reconnect (Orleans drops a client's stream subscriptions when its connection to the cluster is lost).
/// </summary>
internal sealed class ClusterConnectionEvents
{
    private int _lost;

    public event Action? ConnectionLost;

    public event Action? Reconnected;

    public void OnConnectionLost()
    {
        Volatile.Write(ref _lost, 1);
        ConnectionLost?.Invoke();
    }

    public void OnGatewayCountChanged(int current, int previous)
    {
        if (current <= 0)
        {
            Volatile.Write(ref _lost, 1);
            return;
        }

        // Back from no gateway at all, or the first gateway after a reported loss: the cluster may have forgotten us.
        var wasLost = Interlocked.Exchange(ref _lost, 0) == 1;
        if (previous <= 0 || wasLost) Reconnected?.Invoke();
    }
}
