using System.Diagnostics;
using System.Reflection;

namespace OrleansConfig.Client.Reporting;

/// <summary>
/// What a subscriber (<see cref="ServiceConfig"/>, <see cref="EndpointsConfig"/>, <see cref="ServiceCatalog"/>) says
/// about itself, in one place: its handlers' registrations hold their progress (the content generation each last
/// returned from, and a failure not yet followed by a success); <see cref="AppliedVersions"/> maps the slowest one's
/// generation to the newest union version with that content, and to since when it is behind. One way for every
/// kind of handler: a handler that is caught up stays caught up when the union moves on without changing what it
/// follows.
/// </summary>
internal sealed class SubscriberProgress(string kind, TimeProvider time)
{
    private static readonly (string Host, int ProcessId, string ProcessName) Identity = (
        Environment.MachineName,
        Environment.ProcessId,
        Assembly.GetEntryAssembly()?.GetName().Name ?? Process.GetCurrentProcess().ProcessName);

    private readonly AppliedVersions _applied = new();

    /// <summary>Tells this subscriber apart from others of the same client.</summary>
    public Guid Instance { get; } = Guid.NewGuid();

    /// <summary>
    /// The subscriber's view is at <paramref name="generation"/> and <paramref name="version"/>; called before its
    /// handlers are told, so the generation a handler returns from is always known here.
    /// </summary>
    public void ViewMoved(long generation, UnionVersion version) => _applied.Advance(generation, version, time.GetTimestamp());

    /// <summary>
    /// The report now: <paramref name="received"/> reads the view's version (null before its first snapshot). It is
    /// read after the handlers' progress, so a change applied in between never shows a handler ahead of its view.
    /// </summary>
    public SubscriberReport Read(IReadOnlyList<HandlerRegistration> handlers, Func<UnionVersion?> received, long resyncs)
    {
        long? lowest = handlers.Count == 0 ? null : handlers.Min(h => h.AppliedGeneration);
        _applied.Prune(lowest ?? long.MaxValue);
        var behindSince = lowest is { } low ? _applied.FirstAfter(low) : null;
        var error = handlers.Select(h => h.CurrentError).Where(e => e is not null).MaxBy(e => e!.Value.At);
        return new SubscriberReport
        {
            Instance = Instance,
            Kind = kind,
            Host = Identity.Host,
            ProcessId = Identity.ProcessId,
            ProcessName = Identity.ProcessName,
            Handlers = [.. handlers.Select(h => h.Name)],
            Applied = lowest is > 0 ? _applied.VersionAt(lowest.Value) : null,
            Received = received(),
            BehindFor = behindSince is { } since ? time.GetElapsedTime(since) : TimeSpan.Zero,
            Resyncs = resyncs,
            LastError = error?.Message,
            LastErrorAt = error?.At,
        };
    }
}
