using System.Text.RegularExpressions;

namespace OrleansConfig.Client;

/// <summary>
/// Stops a client from retrying a gateway of another cluster: Orleans' own retry filter would try again forever,
/// logging <c>Unexpected cluster id</c> each time. Other failures go to the filter that was there before.
/// </summary>
internal sealed partial class ClusterIdCheck(IClientConnectionRetryFilter? inner) : IClientConnectionRetryFilter
{
    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (UnexpectedClusterId().Match(e.Message) is { Success: true } match)
            {
                throw new ClusterIdMismatchException(
                    $"the gateway belongs to cluster \"{match.Groups["theirs"].Value}\", but this client is set to cluster " +
                        $"\"{match.Groups["ours"].Value}\": " +
                    $"set Orleans:ClusterId (and Orleans:ServiceId) to the silo's, or leave them unset for the OrleansConfig silo's " +
                        $"default \"{OrleansConfigClientOptions.DefaultClusterId}\"",
                    exception);
            }
        }
        return inner is not null && await inner.ShouldRetryConnectionAttempt(exception, cancellationToken);
    }

    // Orleans' ClientOutboundConnection: Unexpected cluster id "THEIRS", expected "OURS".
    [GeneratedRegex("Unexpected cluster id \"(?<theirs>[^\"]*)\", expected \"(?<ours>[^\"]*)\"")]
    private static partial Regex UnexpectedClusterId();
}
