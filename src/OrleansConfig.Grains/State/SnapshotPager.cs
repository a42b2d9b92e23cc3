using OrleansConfig.Validation;

namespace OrleansConfig.State;

/// <summary>
/// Serves the union in pages, every page of one read at the version the read began at (Kubernetes' list with
/// <c>limit</c> and <c>continue</c>). A read's first page takes the union's items at the current version into an
/// immutable view (one reference per item; the items themselves are immutable and shared); later pages slice it.
/// Views are bounded in number and idle time; a token whose view is gone gets an expired page, and the reader
/// starts again.
/// </summary>
internal sealed class SnapshotPager(SnapshotOptions options)
{
    private readonly Dictionary<UnionVersion, View> _views = [];

    /// <summary>Views held now (for tests and metrics).</summary>
    public int Held => _views.Count;

    /// <summary>
    /// The page <paramref name="continueToken"/> asks for (null: the first page at <paramref name="current"/>, whose
    /// items <paramref name="snapshot"/> gives when no view of that version is held yet).
    /// </summary>
    public UnionSnapshotPage Page(string? continueToken, int limit, UnionVersion current, Func<UnionSnapshot> snapshot, DateTimeOffset now) =>
        Page(ConfigKinds.All, continueToken, limit, current, snapshot, now);

    /// <summary>The same, over the items of <paramref name="kinds"/> only (positions count those items alone).</summary>
    public UnionSnapshotPage Page(
        ConfigKinds kinds, string? continueToken, int limit, UnionVersion current, Func<UnionSnapshot> snapshot, DateTimeOffset now)
    {
        if (kinds is not (ConfigKinds.Services or ConfigKinds.Endpoints or ConfigKinds.All))
        {
            throw new ArgumentException($"kinds: must be Services, Endpoints or both, got {(int)kinds}");
        }
        if (limit < 1) throw new ArgumentException($"limit: must be at least 1, got {limit}");
        limit = Math.Min(limit, options.MaxPageItems);
        Expire(now);
        View? view;
        long offset;
        if (continueToken is null)
        {
            offset = 0;
            if (!_views.TryGetValue(current, out view))
            {
                var union = snapshot();
                view = new View(union.Version, [.. union.Services], [.. union.Endpoints]) { LastUsed = now };
                _views[view.Version] = view;
                while (_views.Count > options.MaxReads) _views.Remove(_views.Values.MinBy(v => v.LastUsed)!.Version);
            }
        }
        else
        {
            (var version, offset) = Parse(continueToken);
            if (!_views.TryGetValue(version, out view) || offset > Count(view, kinds))
            {
                return new UnionSnapshotPage { Version = version, Expired = true };
            }
        }
        view.LastUsed = now;
        var services = kinds.HasFlag(ConfigKinds.Services) ? view.Services : [];
        var endpoints = kinds.HasFlag(ConfigKinds.Endpoints) ? view.Endpoints : [];
        var count = services.Length + (long)endpoints.Length;
        var end = (int)Math.Min(offset + limit, count);
        var from = (int)offset;
        return new UnionSnapshotPage
        {
            Version = view.Version,
            Services = Slice(services, from, end),
            Endpoints = Slice(endpoints, from - services.Length, end - services.Length),
            Continue = end < count ? UnionSnapshotReader.ContinueToken(view.Version, end) : null,
            Total = count,
        };
    }

    /// <summary>Drops views idle for longer than the read lifetime.</summary>
    public void Expire(DateTimeOffset now)
    {
        if (_views.Count == 0) return;
        foreach (var view in _views.Values.Where(v => now - v.LastUsed > options.ReadLifetime).ToList()) _views.Remove(view.Version);
    }

    private static long Count(View view, ConfigKinds kinds) =>
        (kinds.HasFlag(ConfigKinds.Services) ? view.Services.Length : 0) + (long)(kinds.HasFlag(ConfigKinds.Endpoints) ? view.Endpoints.Length : 0);

    // The part of [from, to) (positions in the whole view) that falls in this kind's array, which starts at 0.
    private static T[] Slice<T>(T[] items, int from, int to)
    {
        from = Math.Max(from, 0);
        to = Math.Min(to, items.Length);
        return to <= from ? [] : items[from..to];
    }

    private static (UnionVersion Version, long Offset) Parse(string token) =>
        UnionSnapshotReader.TryParseContinueToken(token, out var version, out var offset)
            ? (version, offset)
            : throw new ArgumentException($"continue: {ErrorText.Quote(token)} is not a continue token of a snapshot page");

    private sealed class View(UnionVersion version, Service[] services, Endpoints[] endpoints)
    {
        public UnionVersion Version { get; } = version;
        public Service[] Services { get; } = services;
        public Endpoints[] Endpoints { get; } = endpoints;
        public DateTimeOffset LastUsed { get; set; }
    }
}
