using System.Threading.Channels;

namespace OrleansConfig.IntegrationTests.Api;

/// <summary>One open watch of the fake API server: the lines still to send, and how to cut its connection.</summary>
internal sealed class FakeWatch(string resource, Action abort)
{
    public string Resource { get; } = resource;

    /// <summary>The namespace watched, or null for all.</summary>
    public string? Namespace { get; init; }

    public bool Sees(string? ns) => Namespace is null || Namespace == ns;

    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>();

    /// <summary>Ends the response normally once the queued lines are sent.</summary>
    public void End() => Lines.Writer.TryComplete();

    /// <summary>Cuts the connection without ending the response (a dropped connection, as the client sees it).</summary>
    public void Drop()
    {
        try
        {
            abort();
        }
        catch (ObjectDisposedException)
        {
            // The request has just finished on its own.
        }
        Lines.Writer.TryComplete();
    }
}
