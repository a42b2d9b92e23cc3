using Microsoft.Extensions.Options;
using OrleansConfig.Sources;

namespace OrleansConfig.Silo.Http;

/// <summary>
/// Ready once the silo is active and every source this silo runs (file, etcd, api) has synced: its grain reports the
/// initial list complete. Sources other silos run are theirs to report.
/// </summary>
internal sealed class SiloReadiness(
    ISiloStatusOracle silo,
    IGrainFactory grains,
    IEnumerable<ConfiguredSource> sources,
    IOptions<SiloHttpOptions> options)
{
    private readonly IReadOnlyList<ConfiguredSource> _sources = [.. sources];

    public SiloStatus SiloStatus => silo.CurrentStatus;

    public bool SiloActive => silo.CurrentStatus == SiloStatus.Active;

    /// <summary>The names of the sources this silo runs.</summary>
    public IEnumerable<string> SourceNames => _sources.Select(s => s.Name);

    public async Task<ReadinessReport> CheckAsync(CancellationToken cancellationToken)
    {
        var status = silo.CurrentStatus;
        var unknown = _sources.Select(s => new SourceReadiness(s.Name, s.Type, false, null)).ToList();
        if (status != SiloStatus.Active) return new ReadinessReport(false, $"silo is {status}, not Active", status.ToString(), unknown);

        SourceStatus[] statuses;
        try
        {
            statuses = await Task.WhenAll(_sources.Select(s => grains.GetSource(s.Name).GetStatus()))
                .WaitAsync(options.Value.RequestTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new ReadinessReport(false, $"the sources' grains did not answer: {ex.GetBaseException().Message}", status.ToString(),
                unknown);
        }

        var report = _sources.Zip(statuses, (s, st) => new SourceReadiness(s.Name, s.Type, st.Synced, st.LastError)).ToList();
        var waiting = report.Where(s => !s.Synced).Select(s => $"{s.Name} ({s.Type})").ToList();
        var reason = waiting.Count == 0 ? null : $"not synced yet: {string.Join(", ", waiting)}";
        return new ReadinessReport(reason is null, reason, status.ToString(), report);
    }
}

/// <summary>The body of <c>/readyz</c>: ready, or the first reason it is not, with every source this silo runs.</summary>
internal sealed record ReadinessReport(bool Ready, string? Reason, string Silo, IReadOnlyList<SourceReadiness> Sources);

/// <summary>One source this silo runs, as <c>/readyz</c> reports it.</summary>
internal sealed record SourceReadiness(string Name, string Type, bool Synced, string? LastError);
