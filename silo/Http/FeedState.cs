namespace OrleansConfig.Silo.Http;

/// <summary>
/// What the status page is shown, each part already serialized once for every open page. A part is replaced,
/// never changed, so a page's stream sends a part again only when it is a different instance.
/// </summary>
/// <param name="Services">The union's Services as <c>get services -o json</c> prints them (compact), or null before the
/// first snapshot.</param>
/// <param name="Endpoints">The same for Endpoints.</param>
/// <param name="Sources">The sources as <c>sources -o json</c> prints them (compact), with the sources this silo runs.</param>
/// <param name="Version">The union version the parts were last taken at (display only).</param>
internal sealed record FeedState(string? Services, string? Endpoints, string? Sources, string Version)
{
    public static FeedState Empty { get; } = new(null, null, null, "");
}
